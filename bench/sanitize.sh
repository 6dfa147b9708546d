#!/usr/bin/env bash
# The torch-free test suites under sanitizers (issue 9).
# Usage:
#   bench/sanitize.sh address [SUITE...]   ASan + UBSan (build-asan): test_core test_vision test_data
#                                          test_store test_pipeline test_eval by default
#   bench/sanitize.sh thread [SUITE...]    ThreadSanitizer (build-tsan): test_pipeline and test_store
#                                          by default (worker pool, queue, directory watcher, stores);
#                                          test_service too when named (a ~25 min build on 2 cores)
# Configures the build folder with APIARY_SANITIZE when missing, builds only the suites, runs each
# with the sanitizer halting on its first report, and prints one line per suite. Exit status 1
# when any suite failed or a sanitizer reported. Extra gtest flags: SANITIZE_GTEST_ARGS.
# Why not the libtorch suites under TSan: see the comment at THREAD below.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-}
shift || true
case $KIND in
    address)
        BUILD=${APIARY_ASAN_BUILD:-build-asan}
        SANITIZERS="address;undefined"
        DEFAULT_SUITES=(test_core test_vision test_data test_store test_pipeline test_eval)
        # halt_on_error: a UBSan report fails the suite instead of scrolling past.
        export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
        export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
        ;;
    thread)
        BUILD=${APIARY_TSAN_BUILD:-build-tsan}
        SANITIZERS="thread"
        # THREAD: test_service (the inference worker, model runtime and training jobs, which run
        # libtorch; tests/service/concurrency_test.cpp drives them together) is not a default only
        # for its build time. Apiary's own code is instrumented, libtorch is not: one OpenMP thread
        # keeps libtorch's work on the threads TSan sees, since it cannot see the synchronisation
        # inside libgomp's team and would report it falsely.
        DEFAULT_SUITES=(test_pipeline test_store)
        export OMP_NUM_THREADS=1
        export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$PWD/bench/tsan_suppressions.txt"
        ;;
    *)
        sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=("${DEFAULT_SUITES[@]}")

start=$(date +%s)
if [ ! -f "$BUILD/build.ninja" ]; then
    mkdir -p "$BUILD"
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DAPIARY_SANITIZE=$SANITIZERS" \
        -DAPIARY_BUILD_BENCH=OFF > "$BUILD/configure.log" || { cat "$BUILD/configure.log" >&2; exit 1; }
fi
cmake --build "$BUILD" -j"${APIARY_JOBS:-2}" --target "${SUITES[@]}" > "$BUILD/build.log" 2>&1 ||
    { grep -v '^\[[0-9]*/[0-9]*\] ' "$BUILD/build.log" >&2; echo "sanitize: the build failed" >&2; exit 1; }
built=$(date +%s)
echo "sanitize $KIND: built ${SUITES[*]} in $((built - start)) s"

mkdir -p "$BUILD/logs"
failed=0
for suite in "${SUITES[@]}"; do
    log=$BUILD/logs/$suite.log
    t0=$(date +%s)
    status=0
    # shellcheck disable=SC2086
    "$BUILD/tests/$suite" --gtest_brief=1 ${SANITIZE_GTEST_ARGS:-} > "$log" 2>&1 || status=$?
    summary=$(grep -E '^\[  (PASSED|FAILED)  \]' "$log" | tr '\n' ' ' || true)
    if [ "$status" = 0 ] && ! grep -qE 'ERROR: (Address|Leak|Thread)Sanitizer|WARNING: ThreadSanitizer|runtime error:' "$log"; then
        printf '%-14s %4ss  ok  %s\n' "$suite" "$(($(date +%s) - t0))" "$summary"
    else
        failed=1
        printf '%-14s %4ss  FAILED (status %s, see %s)  %s\n' "$suite" "$(($(date +%s) - t0))" "$status" "$log" "$summary"
        grep -E 'Sanitizer|runtime error:|SUMMARY|^\[  FAILED  \]' "$log" | head -8 >&2 || true
    fi
done
echo "sanitize $KIND: $(( $(date +%s) - start )) s in all"
exit "$failed"
