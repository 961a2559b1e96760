#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Everything CI checks, from a fresh clone on Debian 12:
#   setup    install missing build dependencies (scripts/setup.sh)
#   gcc      gcc build, warnings as errors, every cmocka suite
#   asan     clang build with ASan+UBSan and the fuzz harnesses, every suite
#   fuzz     each libFuzzer harness on its committed seed corpus, bounded
#   cross    arm-none-eabi (Cortex-M4F, -Os) build of the libraries, and a
#            check that no library needs malloc/free/printf/stdio
#   demo     the MCTP demo, the SPDM demo (prot-ua attests prot-device,
#            and refuses a wrong root and a wrong digest) and the secure
#            update demo (provision, attest, update, attest; the refusals),
#            processes over the POSIX port, as smoke tests
# Every stage runs even when an earlier one fails; the script ends with the
# test summaries and one line "N passed, N failed", and exits non-zero on
# any failure.
#
# Environment:
#   FUZZ_SECONDS  time per fuzz harness (default 20)
#   FUZZ_JOBS     harnesses run at once (default: the number of cores)
#   BUILD_PREFIX  prefix of the build directories (default build-, giving
#                 build-gcc, build-asan, build-arm); they are recreated.
set -euo pipefail

cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)}
BUILD_PREFIX=${BUILD_PREFIX:-build-}
CROSS_FILE=ports/ast1060/cross-arm-none-eabi.txt

passed=0
failed=0
summaries=()
failures=()

note_pass() { passed=$((passed + ${2:-1})); }
note_fail() {
	failed=$((failed + ${2:-1}))
	failures+=("$1")
}

# Configure a build directory from scratch: fail early rather than reuse a
# directory configured with other options.
fresh_setup() {
	local dir=$1
	shift
	rm -rf "$dir"
	meson setup "$dir" "$@"
}

# meson test, counted. $1: build dir, $2: label for the summary.
run_meson_tests() {
	local dir=$1 label=$2 log rc=0
	log="$dir/test-summary.log"
	meson test -C "$dir" --print-errorlogs 2>&1 | tee "$log" || rc=$?

	# Meson ends with "Ok: N / Expected Fail: N / Fail: N / Unexpected
	# Pass: N / Skipped: N / Timeout: N".
	local ok fail upass tmo
	ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n1)
	fail=$(awk '/^Fail:/ {print $2}' "$log" | tail -n1)
	upass=$(awk '/^Unexpected Pass:/ {print $3}' "$log" | tail -n1)
	tmo=$(awk '/^Timeout:/ {print $2}' "$log" | tail -n1)
	if [ -z "$ok" ]; then
		note_fail "$label: meson test printed no summary (rc $rc)"
		summaries+=("$label: no tests ran")
		return
	fi
	local bad=$((${fail:-0} + ${upass:-0} + ${tmo:-0}))
	note_pass "" "$ok"
	if [ "$bad" -gt 0 ]; then
		note_fail "$label: $bad test(s) failed" "$bad"
	elif [ "$rc" -ne 0 ]; then
		note_fail "$label: meson test exited $rc"
	fi
	summaries+=("$label: $(grep -E '^(Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout):' "$log" |
		sed 's/[[:space:]]\+/ /g; s/ $//' | paste -sd ',' - | sed 's/,/, /g')")
	# The cmocka summary of every program, added up: test cases, not
	# programs.
	local cases_ok cases_bad
	cases_ok=$(awk '/^\[  PASSED  \] [0-9]+ test/ {n += $4} END {print n + 0}' \
		"$dir/meson-logs/testlog.txt")
	cases_bad=$(awk '/^\[  FAILED  \] [0-9]+ test/ {n += $4} END {print n + 0}' \
		"$dir/meson-logs/testlog.txt")
	summaries+=("$label: cmocka: $cases_ok test cases passed, $cases_bad failed")
	# Power-cut coverage the fault tests print (one line per test).
	local cut
	while IFS= read -r cut; do
		summaries+=("$label: $cut")
	done < <(grep -ho '[a-z-]*: [0-9]* power-cut points covered.*' \
		"$dir/meson-logs/testlog.txt" | sort -u)
}

stage_setup() {
	if ./scripts/setup.sh; then
		return 0
	fi
	note_fail "setup: missing build dependencies"
	return 1
}

stage_gcc() {
	local dir=${BUILD_PREFIX}gcc
	if ! CC=gcc fresh_setup "$dir" --werror; then
		note_fail "gcc: meson setup failed"
		summaries+=("gcc: FAILED (meson setup)")
		return
	fi
	if ! meson compile -C "$dir"; then
		note_fail "gcc: build failed"
		summaries+=("gcc: FAILED (compile)")
		return
	fi
	run_meson_tests "$dir" "gcc"
}

stage_asan() {
	local dir=${BUILD_PREFIX}asan
	if ! CC=clang fresh_setup "$dir" --werror \
		-Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true; then
		note_fail "asan: meson setup failed"
		summaries+=("asan+ubsan: FAILED (meson setup)")
		return
	fi
	if ! meson compile -C "$dir"; then
		note_fail "asan: build failed"
		summaries+=("asan+ubsan: FAILED (compile)")
		return
	fi
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		run_meson_tests "$dir" "asan+ubsan"
}

# Seed corpus of harness $1: fuzz/<lib>/corpus/<harness>/.
corpus_of() {
	local d
	for d in fuzz/*/corpus/"$1"; do
		if [ -d "$d" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# One harness in the background: its log and exit code land in $2.
fuzz_one() {
	local exe=$1 scratch=$2 rc=0
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$exe" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$scratch/artifacts/" \
		"$scratch/corpus" >"$scratch/log" 2>&1 || rc=$?
	echo "$rc" >"$scratch/rc"
}

# The harnesses run FUZZ_JOBS at a time (default: one per core); the
# results are read back in order once all have ended.
stage_fuzz() {
	local dir=${BUILD_PREFIX}asan exe name corpus scratch n=0 rc
	local -a names=() scratches=()
	for exe in "$dir"/fuzz/fuzz-*; do
		[ -f "$exe" ] && [ -x "$exe" ] || continue
		n=$((n + 1))
		name=$(basename "$exe")
		if ! corpus=$(corpus_of "$name") ||
			[ -z "$(ls -A "$corpus")" ]; then
			note_fail "fuzz: $name has no seed corpus (fuzz/*/corpus/$name/)"
			summaries+=("fuzz $name: no seed corpus")
			continue
		fi
		# Work on a copy: libFuzzer adds new inputs to the first
		# corpus directory, and the repo must stay untouched.
		scratch=$(mktemp -d)
		cp -a "$corpus" "$scratch/corpus"
		mkdir "$scratch/artifacts"
		echo "fuzz: $name on $corpus ($(ls "$corpus" | wc -l) seeds, ${FUZZ_SECONDS}s)"
		while [ "$(jobs -rp | wc -l)" -ge "$FUZZ_JOBS" ]; do
			wait -n || true
		done
		fuzz_one "$exe" "$scratch" &
		names+=("$name")
		scratches+=("$scratch")
	done
	wait || true
	for i in "${!names[@]}"; do
		name=${names[$i]}
		scratch=${scratches[$i]}
		rc=$(cat "$scratch/rc" 2>/dev/null || echo 99)
		if [ "$rc" -eq 0 ]; then
			note_pass
			summaries+=("fuzz $name: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/log" | grep -o '[0-9]*$') runs)")
			rm -rf "$scratch"
		else
			tail -n 60 "$scratch/log"
			note_fail "fuzz: $name failed (exit $rc); log and crash input kept in $scratch"
			summaries+=("fuzz $name: FAILED, see $scratch")
		fi
	done
	if [ "$n" -eq 0 ]; then
		note_fail "fuzz: no harness found in $dir/fuzz"
		summaries+=("fuzz: no harness built")
	fi
}

# Symbols a library for bare-metal firmware must not need: the heap and
# anything from stdio (newlib's reentrant _r variants included).
forbidden_re='^_?(malloc|calloc|realloc|free|aligned_alloc|memalign|posix_memalign|reallocarray'
forbidden_re+='|v?[sfd]?n?printf|v?[sf]?scanf|v?asn?printf|puts|putchar|putc|getchar|getc|gets'
forbidden_re+='|f(open|close|flush|read|write|puts|putc|gets|getc|seek|tell|printf|scanf|dopen|fileno)'
forbidden_re+='|perror|setvbuf|setbuf|stdin|stdout|stderr|_impure_ptr|__sf|__srget|__swbuf'
forbidden_re+=')(_r)?$'

stage_cross() {
	local dir=${BUILD_PREFIX}arm lib bad libs=0 ok=1
	if ! fresh_setup "$dir" --cross-file "$CROSS_FILE" \
		-Dport=none -Dtests=false -Dexamples=false \
		--buildtype=minsize -Db_ndebug=true; then
		note_fail "cross: meson setup failed"
		summaries+=("cross build: FAILED (setup)")
		return
	fi
	if ! meson compile -C "$dir"; then
		note_fail "cross: build failed"
		summaries+=("cross build: FAILED (compile)")
		return
	fi
	for lib in "$dir"/lib*/lib*.a; do
		[ -f "$lib" ] || continue
		libs=$((libs + 1))
		bad=$(arm-none-eabi-nm -u "$lib" | awk 'NF {print $NF}' |
			grep -E "$forbidden_re" | sort -u | paste -sd ' ' - || true)
		if [ -n "$bad" ]; then
			echo "cross: $lib needs: $bad" >&2
			ok=0
			failures+=("cross: $lib needs $bad")
		else
			echo "cross: $lib: no heap or stdio symbols"
		fi
	done
	if [ "$libs" -eq 0 ]; then
		note_fail "cross: no static library in $dir/lib*/"
		summaries+=("cross build: FAILED (no library)")
	elif [ "$ok" -eq 1 ]; then
		note_pass
		summaries+=("cross build: ok, $libs static librar$([ "$libs" -eq 1 ] && echo y || echo ies) free of heap/stdio symbols")
	else
		failed=$((failed + 1))
		summaries+=("cross build: FAILED (forbidden symbols)")
	fi
}

# The demo as a smoke test: two processes over the POSIX port, from the gcc
# build (examples are built there).
stage_demo() {
	local demo=${BUILD_PREFIX}gcc/examples/mctp-demo.sh
	if [ ! -f "$demo" ]; then
		note_fail "demo: $demo was not built"
		summaries+=("demo: FAILED (not built)")
		return
	fi
	if timeout 120 sh "$demo" --size 4096; then
		note_pass
		summaries+=("demo: ok (MCTP over SMBus socket and pty, 4 KiB echo)")
	else
		note_fail "demo: $demo failed"
		summaries+=("demo: FAILED")
	fi
	if timeout 120 sh "${BUILD_PREFIX}gcc/examples/spdm-demo.sh"; then
		note_pass
		summaries+=("demo: ok (prot-ua attests prot-device over MCTP and spdm-emu; wrong root and wrong digest refused)")
	else
		note_fail "demo: spdm-demo.sh failed"
		summaries+=("demo: spdm-demo FAILED")
	fi
	if timeout 120 sh "${BUILD_PREFIX}gcc/examples/update-demo.sh"; then
		note_pass
		summaries+=("demo: ok (secure update: provision 1.0, attest, update to 1.1, attest; tampered, unknown signer, lower SVN refused; killed mid-transfer, retried)")
	else
		note_fail "demo: update-demo.sh failed"
		summaries+=("demo: update-demo FAILED")
	fi
}

stages=(setup gcc asan fuzz cross demo)
# A subset may be named on the command line (e.g. `scripts/test.sh setup
# asan fuzz`); CI runs them all.
if [ $# -gt 0 ]; then
	for s in "$@"; do
		case " ${stages[*]} " in
		*" $s "*) ;;
		*)
			echo "unknown stage: $s (stages: ${stages[*]})" >&2
			exit 2
			;;
		esac
	done
	stages=("$@")
fi

start_all=$SECONDS
for s in "${stages[@]}"; do
	echo
	echo "===== stage: $s ====="
	t0=$SECONDS
	if ! "stage_$s"; then
		# Only setup returns non-zero: without the tools nothing else
		# can run meaningfully.
		if [ "$s" = setup ]; then
			echo "===== setup failed; stopping ====="
			echo "0 passed, $((failed)) failed"
			exit 1
		fi
	fi
	echo "===== stage $s done in $((SECONDS - t0))s ====="
done

echo
echo "===== summary ($((SECONDS - start_all))s) ====="
for s in "${summaries[@]}"; do
	echo "$s"
done
if [ ${#failures[@]} -gt 0 ]; then
	echo "failures:"
	for f in "${failures[@]}"; do
		echo "  $f"
	done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
