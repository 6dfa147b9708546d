#!/usr/bin/env bash
# Runs the whole test suite: setup (packages, weights, build) first, then CTest, then a short
# smoke of every fuzzer (issue 9: bench/fuzz.sh --smoke, 10 s per target on the committed seeds,
# in its own clang build; APIARY_FUZZ_SMOKE_SECONDS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2 --timeout 600 "$@"
fuzz_seconds=${APIARY_FUZZ_SMOKE_SECONDS:-10}
if [ "$fuzz_seconds" != 0 ]; then
    bench/fuzz.sh --smoke "$fuzz_seconds"
fi
