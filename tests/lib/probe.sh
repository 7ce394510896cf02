# probe.sh: one long gdbstub connection for a test, through rsp_probe.py in
# a coprocess, so the test can decide what to ask next.  Source it after
# engine.sh.
#
#	probe_open SOCKET [RSP_PROBE OPTIONS...]   connect (the coprocess CONN)
#	rsp STEP                                    one step; its result in $reply
#	close_conn                                  end the connection
PROBE=$TOP/tests/lib/rsp_probe.py

probe_open() {
	local sock=$1
	shift
	coproc CONN { exec timeout -k 2 60 python3 "$PROBE" --limit 60 "$@" "$sock" -; }
	bg_pids+=("$CONN_PID")
}
rsp() {
	reply="(rsp_probe.py gave no answer to $1)"
	[ -n "${CONN[1]:-}" ] || return
	printf '%s\n' "$1" >&"${CONN[1]}"
	IFS= read -r -t 10 reply <&"${CONN[0]}" || reply="(rsp_probe.py gave no answer to $1)"
}
close_conn() {
	local fd=${CONN[1]:-}
	[ -n "$fd" ] && exec {fd}>&-
	wait "$CONN_PID" 2>/dev/null
}
