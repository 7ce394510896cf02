# Every signal that ends bootscope ends it in order: the terminal as it
# was, no QEMU and no socket directory left, and then the signal itself,
# so the shell sees "killed by SIGxxx" (status 128 + its number).
# lifecycle.sh has SIGTERM, SIGHUP and Ctrl-C; here are the rest: the
# ones sent from outside (SIGQUIT also as the key Ctrl-\), and the crash
# signals, whose last-resort handler does the same with less.
. "$TOP/tests/lib/check.sh"
. "$TOP/tests/lib/tui.sh"
ulimit -c 0	# SIGQUIT, SIGSEGV...: the status, not a core file in the tree

# ended_by NAME SIG: bootscope ended by SIG, and undid everything first.
# Under AddressSanitizer the crash handler hands SIGSEGV, SIGBUS and SIGFPE
# on to ASan's, which reports them and exits 1 (134 with abort_on_error).
ended_by() {
	local want=$((128 + $(kill -l "$2")))
	tui_exit_status
	case $BUILD:$2 in
	*san:SEGV|*san:BUS|*san:FPE)
		check_match "$1: ASan reports it and ends bootscope (status 1 or 134)" "$rc" '^(1|134)$'
		check_match "$1: ASan's report is on stderr" "$(cat "$files/bs.err")" 'AddressSanitizer'
		;;
	*) check_eq "$1: bootscope is killed by SIG$2 (status $want)" "$rc" "$want" ;;
	esac
	check_restored "$1"
	check_clean "$1"
}

# Ctrl-\ is SIGQUIT from the terminal, to bootscope only (QEMU has its own
# process group).
tui_start 100x30
check_screen "Ctrl-\\: bootscope is up" '^ pc 0x1000 '
tui_keys 'C-\'
ended_by "Ctrl-\\" QUIT

for sig in QUIT USR1 USR2 ALRM VTALRM PROF XCPU XFSZ IO PWR STKFLT RTMIN \
	   SEGV BUS FPE ILL ABRT TRAP SYS; do
	tui_start 100x30
	check_screen "SIG$sig: bootscope is up" '^ pc 0x1000 '
	kill -"$sig" "$bs_pid"
	ended_by "SIG$sig" "$sig"
done
check_done
