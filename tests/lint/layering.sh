#!/usr/bin/env bash
# layering: the architecture and the board stay in their files, and the
# layers keep to their jobs (tracer/arch.h, tracer/board.h, DESIGN in
# tracer/session.h).  Code is read with its comments stripped (by the C
# preprocessor), so a comment may explain a CSR; code and strings may not
# name one outside the RISC-V and virt files.
set -u
. "$TOP/tests/lib/check.sh"
cd "$TOP/tracer" || exit 1

# code FILE: the file without comments, line markers kept out.
code() { gcc -fpreprocessed -dD -E -P "$1" 2>/dev/null; }

# The self-test: the stripper really drops comments and keeps code.
probe=$(printf 'int a; /* mstatus */\n// satp\nconst char *s = "stvec";\n' >"${TMPDIR:-/tmp}/layering.$$.c"; code "${TMPDIR:-/tmp}/layering.$$.c")
rm -f "${TMPDIR:-/tmp}/layering.$$.c"
check_match "the comment stripper keeps strings" "$probe" 'stvec'
if printf '%s\n' "$probe" | grep -Eq 'mstatus|satp'; then
	not_ok "the comment stripper drops comments: $probe"
else
	ok "the comment stripper drops comments"
fi

# What only the RISC-V architecture and the virt board may name.
riscv='\b(mstatus|mtvec|mepc|mcause|mtval|medeleg|mideleg|mhartid|mscratch|satp|sstatus|stvec|sepc|scause|stval|sscratch)\b'
virt='\b(0x80000000|0x80200000|0x1000|0x87e00000)\b|fw_dynamic'
for f in *.c *.h; do
	case $f in
	arch_riscv64*|board_virt*) continue ;;
	esac
	hits=$(code "$f" | grep -nE "$riscv|$virt" | head -3)
	if [ -n "$hits" ]; then
		not_ok "$f names a RISC-V CSR or a virt address outside arch_riscv64*/board_virt*: $hits"
	else
		ok "$f keeps RISC-V CSRs and virt addresses out"
	fi
done

# The screen only reads the session: no ui file talks to the target.
hits=$(for f in ui*.c ui*.h; do code "$f" | grep -nE '\btarget_[a-z_]+\(' | sed "s|^|$f:|"; done | head -3)
check_eq "no ui*.c calls target_*" "$hits" ""

# Only the screen includes curses (cgdb's rule).
hits=$(grep -lE '#include <n?curses' *.c *.h | grep -v '^ui' | tr '\n' ' ')
check_eq "only ui* files include curses" "$hits" ""

# Nothing under the screen names a key: the session's, the report's and
# the doctor's messages are phrased without "press" or Ctrl-C.
hits=$(for f in *.c; do
	case $f in ui*|main.c) continue ;; esac
	code "$f" | grep -nE '"[^"]*(press [a-zA-Z.?>]|Ctrl-)' | sed "s|^|$f:|"
done | head -3)
check_eq "no message below the screen names a key" "$hits" ""

# Prefix = module: every function a file exports starts with its module's
# name, the file's name up to its first underscore (session_run.c is part
# of session: session_step; target_link.c of target).
for f in *.c; do
	case $f in main.c) continue ;; esac
	mod=${f%.c}
	mod=${mod%%_*}
	bad=$(code "$f" | grep -E '^[a-z][a-z0-9_ *]*[ *]([a-z_][a-z0-9_]*)\(' | grep -vE '^(static|typedef)' |
		sed -E 's/^[^(]*[ *]([a-z_][a-z0-9_]*)\(.*/\1/' | grep -vE "^${mod}(_|$)" | head -3 | tr '\n' ' ')
	check_eq "$f exports only ${mod}_* functions" "$bad" ""
done
check_done
