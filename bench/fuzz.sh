#!/usr/bin/env bash
# libFuzzer over the parsers that read untrusted bytes (issue 9): fuzz/<target>_fuzz.cpp each,
# built with clang-14 and ASan+UBSan in build-fuzz/ (configured here when missing).
# Usage:
#   bench/fuzz.sh TARGET SECONDS      run one target for SECONDS (e.g. bench/fuzz.sh sigv4 300)
#   bench/fuzz.sh --smoke [SECONDS]   every target for SECONDS each (default 10); fails on any crash
#   bench/fuzz.sh --list              the target names
# Seeds come from fuzz/corpus/TARGET (committed, read only); what a run discovers goes to
# build-fuzz/corpus/TARGET (kept between runs; --smoke starts from the seeds alone), a crashing
# input to build-fuzz/crashes/TARGET/, the log to build-fuzz/logs/TARGET.log. Exit status 1 when
# any target crashed, leaked or hung.
# APIARY_FUZZ_BUILD picks another build folder, APIARY_JOBS the build parallelism (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${APIARY_FUZZ_BUILD:-build-fuzz}
TARGETS=(groundtruth voc coco yolo image_probe jpeg_scan sigv4 s3_xml json_request)

usage() { sed -n '4,7p' "$0" | sed 's/^# //' >&2; exit 2; }

build() {
    if [ ! -f "$BUILD/build.ninja" ]; then
        mkdir -p "$BUILD"
        cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
            -DAPIARY_BUILD_FUZZERS=ON -DAPIARY_BUILD_TESTS=OFF -DAPIARY_BUILD_BENCH=OFF > "$BUILD/configure.log" ||
            { cat "$BUILD/configure.log" >&2; exit 1; }
    fi
    cmake --build "$BUILD" -j"${APIARY_JOBS:-2}" --target "$@" > "$BUILD/build.log" 2>&1 ||
        { grep -v '^\[[0-9]*/[0-9]*\] ' "$BUILD/build.log" >&2; echo "fuzz: the build failed" >&2; exit 1; }
}

dict_of() {
    case $1 in
        groundtruth|coco|json_request) echo fuzz/dict/json.dict ;;
        voc|s3_xml) echo fuzz/dict/xml.dict ;;
        sigv4) echo fuzz/dict/sigv4.dict ;;
        image_probe|jpeg_scan) echo fuzz/dict/jpeg.dict ;;
    esac
}

# run TARGET SECONDS [WORK_DIR]: prints one summary line; returns libFuzzer's status (0: no finding).
run() {
    local target=$1 seconds=$2 work=${3:-$BUILD/corpus/$1}
    local crashes=$BUILD/crashes/$target log=$BUILD/logs/$target.log
    mkdir -p "$work" "$crashes" "$BUILD/logs"
    local dict
    dict=$(dict_of "$target")
    local status=0
    # halt_on_error: a UBSan report is a finding, not a warning. detect_leaks: parsers must not leak.
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$BUILD/fuzz/${target}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        ${dict:+-dict="$dict"} -artifact_prefix="$crashes/" -print_final_stats=1 "$work" "fuzz/corpus/$target" \
        > "$log" 2>&1 || status=$?
    local execs per_s
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    per_s=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log")
    printf '%-13s %5ss  %10s execs  %7s/s  corpus %5s  %s\n' "$target" "$seconds" "${execs:-?}" "${per_s:-?}" \
        "$(find "$work" -type f | wc -l)" "$([ "$status" = 0 ] && echo ok || echo "FAILED (status $status, see $log)")"
    if [ "$status" != 0 ]; then
        grep -E '^(==[0-9]+==ERROR|SUMMARY|invariant failed|.*runtime error)' "$log" | head -5 >&2 || true
        ls "$crashes" >&2
    fi
    return "$status"
}

case ${1:-} in
    --list) printf '%s\n' "${TARGETS[@]}" ;;
    --smoke)
        seconds=${2:-10}
        build fuzzers
        failed=0
        # A fresh working corpus each time: the smoke replays the committed seeds (crash inputs
        # included) and mutates them, in a time that does not grow with earlier long runs.
        for t in "${TARGETS[@]}"; do
            rm -rf "$BUILD/smoke-corpus/$t"
            run "$t" "$seconds" "$BUILD/smoke-corpus/$t" || failed=1
        done
        [ "$failed" = 0 ] || { echo "fuzz smoke: a target failed" >&2; exit 1; }
        ;;
    ''|-*) usage ;;
    *)
        [ $# = 2 ] || usage
        printf '%s\n' "${TARGETS[@]}" | grep -qx "$1" || { echo "fuzz: unknown target '$1' (bench/fuzz.sh --list)" >&2; exit 2; }
        build "$1_fuzz"
        run "$1" "$2"
        ;;
esac
