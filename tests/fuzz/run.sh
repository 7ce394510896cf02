#!/usr/bin/env bash
# run.sh SECONDS WORKDIR TARGET...: run the built fuzzers (build/fuzz/fuzz_TARGET)
# for SECONDS each, FUZZ_JOBS (2) at a time; `make fuzz` and
# tests/integration/fuzz.sh both come here.
#
# Each starts from WORKDIR/corpus-TARGET, into which the committed corpus
# tests/fuzz/corpus/TARGET is copied first (what the fuzzer adds stays
# there, out of the tree).  A crash, leak, hang or broken invariant is kept
# as WORKDIR/crashes-TARGET/crash-... and the whole log as
# WORKDIR/TARGET.log.  Prints, in the order given,
#	ok - fuzz TARGET: N execs in S s (corpus C inputs)
#	not ok - fuzz TARGET: what went wrong; crash input: PATH
# and exits 1 if any target failed.
set -u
secs=$1 work=$2; shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${FUZZ_JOBS:-2}

# run_one TARGET: one fuzzer; leaves WORKDIR/TARGET.status ("0" or not).
run_one() {
	local t=$1 bin=$top/build/fuzz/fuzz_$1 rc
	local corpus=$work/corpus-$t crashes=$work/crashes-$t
	local opts=()

	mkdir -p "$corpus" "$crashes"
	cp "$top/tests/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null
	[ -f "$top/tests/fuzz/$t.dict" ] && opts+=("-dict=$top/tests/fuzz/$t.dict")
	# -timeout: one input taking 10 s is a finding; the outer timeout
	# only catches a fuzzer that does not stop by itself.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	timeout -k 5 $((secs + 120)) "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "${opts[@]}" "$corpus" \
		>"$work/$t.log" 2>&1
	rc=$?
	echo "$rc" >"$work/$t.status"
}

mkdir -p "$work" || exit 1
for t in "$@"; do
	if [ ! -x "$top/build/fuzz/fuzz_$t" ]; then
		echo "run.sh: build/fuzz/fuzz_$t is not built (make fuzz builds it)" >&2
		exit 1
	fi
	rm -f "$work/$t.status"
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_one "$t" &
done
wait

failed=0
for t in "$@"; do
	log=$work/$t.log rc=$(cat "$work/$t.status" 2>/dev/null || echo "?")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	if [ "$rc" = 0 ]; then
		echo "ok - fuzz $t: ${execs:-?} execs in ${took:-?} s (corpus $(ls "$work/corpus-$t" | wc -l) inputs)"
		continue
	fi
	failed=1
	input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
	what=$(grep -m1 -E '^(SUMMARY: |fuzz: invariant broken|==[0-9]+==ERROR: )' "$log")
	echo "not ok - fuzz $t: exit status $rc: ${what:-see $log}; crash input: ${input:-none written} (log: $log)"
done
exit "$failed"
