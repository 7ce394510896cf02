# The tutorial in walkthrough/ against the real machine: every command a
# chapter shows is run and its shown output compared (console blocks in
# bash, gdb blocks through `make debug` + `make gdb`, tui blocks through
# bootscope in a private tmux server), both languages carry the same
# blocks, and the quoted notes equal walkthrough/lessons.txt.  The rules
# are in tests/lib/walkthrough.py and walkthrough/README.md.
cd "$TOP" || exit 1
tmp=$(mktemp -d /tmp/bootscope-walkthrough.XXXXXX) || exit 1
chmod 700 "$tmp"
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s%N)
# The checker kills what it starts (by process group or pid) and bounds
# every command, session and screen with a time-out of its own.
timeout -k 5 280 python3 tests/lib/walkthrough.py "$TOP" "$BUILD" "$tmp"
rc=$?
echo "# walkthrough.sh took $((($(date +%s%N) - t0) / 1000000)) ms"
exit $rc
