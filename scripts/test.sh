#!/usr/bin/env bash
# Runs the whole test suite: setup (packages, weights, build) first, then CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j2 --timeout 600 "$@"
