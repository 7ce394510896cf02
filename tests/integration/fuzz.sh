# A short fuzz run: each libFuzzer target (tests/fuzz/) for FUZZ_SECONDS
# (10) from its committed corpus, in a fresh build/fuzz/ci.  The long runs
# are `make fuzz FUZZ_SECONDS=600`; what they find is replayed on every
# build by tests/unit/test_fuzz_regressions.
. "$TOP/tests/lib/check.sh"
cd "$TOP" || exit 1

# The fuzzers are always clang + ASan + UBSan builds: a run here and one
# under build/san would be the same, so the sanitizer pass skips it.
case $BUILD in
*/san)
	echo "# fuzz: already run against the normal build (the fuzzers are sanitizer builds either way)"
	check_done ;;
esac

tmp=$(mktemp -d /tmp/bootscope-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$tmp/probe.c"
if ! command -v clang >/dev/null; then
	not_ok "fuzz: clang is not installed (make deps installs clang and libclang-rt-14-dev)"
	check_done
fi
if ! clang -fsanitize=fuzzer,address,undefined "$tmp/probe.c" -o "$tmp/probe" 2>"$tmp/probe.err"; then
	not_ok "fuzz: clang cannot link libFuzzer (make deps installs libclang-rt-14-dev): $(head -c 300 "$tmp/probe.err")"
	check_done
fi

# A make inside `make test` must not take over the outer one's job server.
rm -rf build/fuzz/ci
out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory fuzz \
	FUZZ_SECONDS="${FUZZ_SECONDS:-10}" FUZZ_WORK=build/fuzz/ci 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(ok|not ok) - '
if [ "$rc" -ne 0 ]; then
	CHECK_FAILED=1
	printf '%s\n' "$out" | grep -q '^not ok - ' ||
		not_ok "fuzz: make fuzz failed: $(printf '%s' "$out" | tail -5)"
fi
check_done
