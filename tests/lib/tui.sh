# tui.sh: what the TUI tests share -- bootscope in a real terminal (a tmux
# pane), driven by keys and read back from the screen, as a person uses it.
# Source it after check.sh.
#
# Every test gets a private tmux server (tmux -L, its socket in the test's
# own directory), so it never touches the user's tmux or another test's.
# bootscope runs in the pane under a small script, $files/run.sh, that
# records the terminal's modes before and after it, its pid, its stderr and
# its exit status, then prints EXIT=N and DONE in the pane and waits.
#
# The test's directory $tmp holds two others:
#   $rt     TMPDIR and XDG_RUNTIME_DIR of bootscope: its socket directory
#           (bootscope.*) is made here, so the gdb socket on every QEMU
#           command line names "$rt/".  Nothing else names it, so
#           `pgrep -f "$rt/"` finds exactly the QEMUs this test started.
#   $files  the pane's script, recorded modes, stderr, test kernels.
# Nothing here sleeps blindly: every wait polls the screen (or a file)
# under a hard time-out of a few seconds.

BOOTSCOPE=$TOP/$BUILD/bootscope
KERNEL=$TOP/build/kernel.elf
CROSS=${CROSS:-riscv64-unknown-elf-}
TUI_WAIT=${TUI_WAIT:-5}		# seconds, for one wait

tmp=$(mktemp -d /tmp/bootscope-tui.XXXXXX) || exit 1
chmod 700 "$tmp"
rt=$tmp/rt files=$tmp/files
mkdir -p "$rt" "$files"
export TMPDIR=$rt XDG_RUNTIME_DIR=$rt TMUX_TMPDIR=$tmp
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TMUX NO_COLOR
TUI_SOCK=bootscope-tui-$$

# tui CMD...: tmux on the test's private server, with no status line (the
# pane is the whole window) and a terminal type like most people's.
printf '%s\n' 'set -g status off' 'set -g default-terminal tmux-256color' \
	'set -g history-limit 0' >"$files/tmux.conf"
tui() { tmux -u -L "$TUI_SOCK" -f "$files/tmux.conf" "$@"; }

# The pids of this test's QEMUs (by their private directory).
tui_qemus() { pgrep -f -- "$rt/"; }

tui_cleanup() {
	local p
	[ -s "$files/bs.pid" ] && kill -KILL "$(cat "$files/bs.pid")" 2>/dev/null
	for p in $(tui_qemus); do
		kill -KILL "$p" 2>/dev/null
	done
	tui kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap tui_cleanup EXIT
# A time-out (tests/run's timeout sends SIGTERM) must clean up too: bash
# runs the EXIT trap on exit, not on a deadly signal.
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

if ! command -v tmux >/dev/null; then
	not_ok "tmux is not installed: the TUI tests need it (make deps installs it)"
	exit 1
fi

# tui_start COLSxROWS [ENV=VALUE...] [--] [BOOTSCOPE ARGS...]: a new pane of
# that size running bootscope (default: on the bundled kernel).  Ends any
# session before it.  Extra environment goes before --.
tui_start() {
	local size=$1 envs=() q
	shift
	while [ $# -gt 0 ] && [[ $1 == *=* ]]; do envs+=("$1"); shift; done
	[ "${1-}" = -- ] && shift
	[ $# -eq 0 ] && set -- "$KERNEL"
	tui_stop
	rm -f "$files"/bs.*
	{
		echo 'f=$1; shift'
		echo 'stty -g >"$f/bs.stty0"'
		printf 'env'
		for q in "${envs[@]}"; do printf ' %q' "$q"; done
		printf ' bash -c %q _' 'echo $$ >"$1/bs.pid"; shift; exec "$@"'
		printf ' "$f"'
		printf ' %q' "$BOOTSCOPE" "$@"
		echo ' 2>"$f/bs.err"'
		echo 'rc=$?'
		echo 'stty -g >"$f/bs.stty1"'
		echo 'echo "$rc" >"$f/bs.rc"'
		echo 'echo "EXIT=$rc"'
		echo 'echo DONE'
		echo 'exec sleep 600'
	} >"$files/run.sh"
	bs_pid=
	if ! tui new-session -d -s t -x "${size%x*}" -y "${size#*x}" "bash $files/run.sh $files" ||
	   ! tui_wait_file "$files/bs.pid"; then
		not_ok "tui_start $size: tmux did not start bootscope in a pane"
		return 1
	fi
	bs_pid=$(cat "$files/bs.pid")
}

# tui_stop: end the pane and the server, and anything bootscope left.
tui_stop() {
	local p
	[ -s "$files/bs.pid" ] && kill -KILL "$(cat "$files/bs.pid")" 2>/dev/null
	tui kill-server 2>/dev/null
	for p in $(tui_qemus); do
		kill -KILL "$p" 2>/dev/null
	done
	rm -f "$files/bs.pid"
}

# tui_keys KEY...: tmux key names (Enter, Escape, Tab, C-c, Up...) or
# single characters.
tui_keys() { tui send-keys -t t "$@"; }

# tui_type TEXT: the text, literally.
tui_type() { tui send-keys -t t -l -- "$1"; }

# tui_screen [-e]: the pane as text (with -e, with its attributes).
tui_screen() { tui capture-pane -p -t t "$@" 2>/dev/null; }

# tui_wait REGEX [SECONDS]: until a line of the screen matches (grep -E).
# The last screen read is in $screen either way.
tui_wait() {
	local re=$1 limit=${2:-$TUI_WAIT} end
	end=$(($(date +%s%N) + limit * 1000000000))
	while :; do
		screen=$(tui_screen) || { screen='(the tmux server is gone)'; return 1; }
		printf '%s\n' "$screen" | grep -Eq -- "$re" && return 0
		[ "$(date +%s%N)" -ge "$end" ] && return 1
		sleep 0.03
	done
}

# tui_wait_not REGEX [SECONDS]: until no line matches.
tui_wait_not() {
	local re=$1 limit=${2:-$TUI_WAIT} end
	end=$(($(date +%s%N) + limit * 1000000000))
	while :; do
		screen=$(tui_screen) || { screen='(the tmux server is gone)'; return 1; }
		printf '%s\n' "$screen" | grep -Eq -- "$re" || return 0
		[ "$(date +%s%N)" -ge "$end" ] && return 1
		sleep 0.03
	done
}

# tui_wait_file PATH [SECONDS]: until PATH exists and is not empty.
tui_wait_file() {
	local i
	for ((i = 0; i < ${2:-$TUI_WAIT} * 50; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# tui_wait_sock PATH [SECONDS]: until PATH is a socket (a fake QEMU
# listening; tui_wait_file would never see one, its size is 0).
tui_wait_sock() {
	local i
	for ((i = 0; i < ${2:-$TUI_WAIT} * 50; i++)); do
		[ -S "$1" ] && return 0
		sleep 0.02
	done
	return 1
}

# show_screen: the last screen, for a failure's explanation: its top three
# rows and its last one (TUI_VERBOSE=1: all of it).  The whole screen is
# kept in $BUILD/tui-screens/TEST.N.txt, since $tmp goes when the test ends.
TUI_SHOTS=$TOP/$BUILD/tui-screens TUI_SHOT=0 TUI_NAME=$(basename "$0" .sh)
rm -f "$TUI_SHOTS/$TUI_NAME".*.txt
show_screen() {
	local f
	TUI_SHOT=$((TUI_SHOT + 1))
	f=$TUI_SHOTS/$TUI_NAME.$TUI_SHOT.txt
	mkdir -p "$TUI_SHOTS" && printf '%s\n' "$screen" >"$f"
	printf '%s\n' "$screen" | sed -e 's/[[:space:]]*$//' |
		awk -v all="${TUI_VERBOSE:-0}" -v f="$f" '
			{ l[NR] = $0 } NF { last = NR; n++ }
			END {
				if (n == 0)
					print "#    |(blank)"
				for (i = 1; i <= last; i++)
					if (n <= 6 || all == 1)
						{ if (l[i] != "") printf "#  %2d|%s\n", i, l[i] }
					else if (i <= 3 || i == last)
						printf "#  %2d|%s\n", i, l[i]
					else if (i == 4)
						printf "#    |... (the whole screen: %s)\n", f
			}'
}

# check_screen NAME REGEX [SECONDS]: the screen comes to match REGEX.
check_screen() {
	if tui_wait "$2" "${3:-}"; then
		ok "$1"
	else
		not_ok "$1: no line matched /$2/ within ${3:-$TUI_WAIT} s; the screen:"
		show_screen
	fi
}

# check_screen_not NAME REGEX [SECONDS]: the screen comes to not match.
check_screen_not() {
	if tui_wait_not "$2" "${3:-}"; then
		ok "$1"
	else
		not_ok "$1: a line still matches /$2/ after ${3:-$TUI_WAIT} s; the screen:"
		show_screen
	fi
}

# screen_line REGEX: the first line of $screen that matches.
screen_line() { printf '%s\n' "$screen" | grep -E -m1 -- "$1"; }

# tui_attr TEXT [NTH]: the attributes the screen draws TEXT with (its
# first occurrence, or the NTH), as "bold fg=3 bg=2 ..." ("plain" for
# none, "absent" when TEXT is not on the screen).  All of TEXT must share
# them, else "mixed".
tui_attr() {
	tui_screen -e >"$files/screen.e"
	python3 "$TOP/tests/lib/tui_attr.py" "$files/screen.e" "$1" "${2:-1}"
}

# tui_exit_status [SECONDS]: wait for bootscope to end; its status in $rc.
tui_exit_status() {
	rc=
	tui_wait_file "$files/bs.rc" "${1:-}" && rc=$(cat "$files/bs.rc")
}

# check_restored NAME: after bootscope ended, the terminal is as before --
# the same stty modes, the normal screen, a visible cursor, the keypad in
# normal mode -- and the shell's next lines land at column 0.
check_restored() {
	local alt
	check_screen "$1: the shell's next output is at column 0" '^DONE$' 3
	check_eq "$1: terminal modes (stty -g) as before" \
		"$(cat "$files/bs.stty1" 2>/dev/null)" "$(cat "$files/bs.stty0" 2>/dev/null)"
	alt=$(tui display-message -p -t t '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag}')
	check_eq "$1: normal screen, cursor shown, keypad off (alternate cursor keypad keypad)" "$alt" "0 1 0 0"
	if printf '%s\n' "$screen" | grep -Eq 'registers|code \*|console'; then
		not_ok "$1: bootscope's screen is still in the pane after it ended:"
		show_screen
	else
		ok "$1: bootscope's screen is gone"
	fi
}

# check_clean NAME: no bootscope.* directory and no QEMU of this test left.
check_clean() {
	local left procs p i
	# QEMU is stopped before bootscope exits, but give a dying one a moment.
	for ((i = 0; i < 100; i++)); do
		[ -z "$(tui_qemus)" ] && break
		sleep 0.02
	done
	left=$(find "$rt" -name 'bootscope.*' 2>/dev/null)
	check_eq "$1: no bootscope.* directory left" "$left" ""
	procs=
	for p in $(tui_qemus); do
		procs+="$(ps -o pid=,args= -p "$p" | cut -c1-120) ; "
	done
	check_eq "$1: no QEMU left whose command line names the test's directory" "$procs" ""
}

# nm_addr SYMBOL: the symbol's address in the bundled kernel, as 0x... with
# no leading zeros.
nm_addr() {
	"${CROSS}nm" "$KERNEL" | awk -v s="$1" '$3 == s { print "0x" $1 }' | sed 's/^0x0*/0x/'
}

# check_highlighted NAME TEXT: TEXT is on the screen with some attribute
# or colour (all of it the same).
check_highlighted() {
	local a
	a=$(tui_attr "$2")
	case $a in
	plain|mixed|absent) not_ok "$1: '$2' is drawn $a, want highlighted"; tui_screen_show ;;
	*) ok "$1" ;;
	esac
}

# check_plain NAME TEXT: TEXT is on the screen with no attribute at all.
check_plain() {
	local a
	a=$(tui_attr "$2")
	if [ "$a" = plain ]; then ok "$1"; else not_ok "$1: '$2' is drawn $a, want plain"; tui_screen_show; fi
}

# tui_screen_show: the screen now, for a failure's explanation.
tui_screen_show() { screen=$(tui_screen); show_screen; }

# build_spin PATH: a kernel that only spins (`_start: j _start`) linked at
# 0x80200000.  -n (no page alignment) keeps the ELF header out of the
# loaded segment, so its lowest address -- where QEMU's loader starts the
# kernel -- is _start itself.
build_spin() {
	printf '\t.globl _start\n_start:\n\tj _start\n' >"$files/spin.S"
	"${CROSS}gcc" -nostdlib -Wl,--build-id=none -Wl,-n -Wl,-Ttext=0x80200000 \
		"$files/spin.S" -o "$1"
}
