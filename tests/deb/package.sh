#!/usr/bin/env bash
# package: `make deb` builds bootscope_VERSION_ARCH.deb with Debian's own
# tools, in a temporary directory; the package holds what make install
# installs, in /usr, declares what bootscope needs, and lintian finds no
# error or warning in it; unpacked (not installed: dpkg-deb -x), its
# bootscope runs the bundled kernel from another directory.  Slow (a whole
# build), so run by `make test-deb`, not by make test.
set -u
. "$TOP/tests/lib/check.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bootscope-deb.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n '1s/^bootscope (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")
arch=$(dpkg --print-architecture)

t0=$(date +%s)
out=$(make -C "$TOP" --no-print-directory deb DEB_DIR="$tmp/deb" 2>&1); rc=$?
t=$(($(date +%s) - t0))
check_eq "make deb DEB_DIR=... succeeds (in $t s)" "$rc" 0 || { printf '%s\n' "$out" | sed 's/^/#  /' | tail -30; check_done; }
deb=$tmp/deb/bootscope_${version}_$arch.deb
[ -f "$deb" ] && ok "it made bootscope_${version}_$arch.deb" || { not_ok "no $deb: $(ls "$tmp/deb")"; check_done; }
[ -z "$(find "$TOP/.." -maxdepth 1 -newer "$TOP/debian/changelog" -name 'bootscope_*' 2>/dev/null)" ] &&
	ok "nothing was written beside the tree" || not_ok "dpkg-buildpackage wrote beside the tree"

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in usr/bin/bootscope usr/lib/bootscope/bootscope-count.so usr/share/bootscope/kernel.elf \
	 usr/share/bootscope/os.bin usr/share/bootscope/lessons.txt usr/share/man/man1/bootscope.1.gz \
	 usr/share/bash-completion/completions/bootscope usr/share/doc/bootscope/copyright \
	 usr/share/doc/bootscope/gdbscripts/bootscope.gdb usr/share/doc/bootscope/walkthrough/README.md; do
	printf '%s\n' "$contents" | grep -qx "\./$f\(\.gz\)\?" && ok "the package holds /$f" || not_ok "the package lacks /$f"
done
if printf '%s\n' "$contents" | grep -v '^\./usr/' | grep -qv '^\./$'; then
	not_ok "the package puts files outside /usr: $(printf '%s\n' "$contents" | grep -v '^\./usr/' | head -3)"
else
	ok "everything it holds is under /usr"
fi
depends=$(dpkg-deb -f "$deb" Depends)
for p in qemu-system-misc opensbi binutils-multiarch libncursesw6 libelf1 libdw1 libc6; do
	printf '%s\n' "$depends" | grep -Eq "(^|, )$p( |,|$)" && ok "Depends: $p" || not_ok "Depends lacks $p: $depends"
done

if command -v lintian >/dev/null; then
	lint=$(lintian "$deb" 2>&1 | grep -v 'running with root privileges')
	printf '%s\n' "$lint" | grep -E '^[EW]: ' | sed 's/^/#  /'
	check_eq "lintian: no error" "$(printf '%s\n' "$lint" | grep -c '^E: ')" 0
	check_eq "lintian: no warning" "$(printf '%s\n' "$lint" | grep -c '^W: ')" 0
else
	not_ok "lintian is not installed (make test-deb installs it)"
fi

# Unpacked elsewhere, its bootscope finds its kernel, lessons and plugin.
dpkg-deb -x "$deb" "$tmp/root"
mkdir -p "$tmp/elsewhere" && cd "$tmp/elsewhere" || exit 1
json=$("$tmp/root/usr/bin/bootscope" --batch --json --timeout 3 2>&1); rc=$?
check_eq "the packaged bootscope, unpacked, runs --batch --json on its own kernel" "$rc" 0
check_eq "...the kernel of the package" \
	"$(printf '%s\n' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["kernel"])' 2>&1)" \
	"$tmp/root/usr/share/bootscope/kernel.elf"
check_match "...and its events counted by the package's plugin" "$json" '"insn": ?[0-9]+'
check_match "the packaged --version names it" "$("$tmp/root/usr/bin/bootscope" --version | head -1)" "^bootscope $version\$"
check_done
