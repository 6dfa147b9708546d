#!/usr/bin/env bash
# The HTTP front end (Asio I/O threads, the handler pool, the session registry and connection
# counts) under ThreadSanitizer. Its test binary normally links apiary_service and so libtorch,
# whose threads TSan cannot see; the front end itself is torch-free, so this builds its sources
# and tests/service/http_front_end_test.cpp alone, instrumented, and runs them.
# Usage: bench/tsan_front_end.sh [gtest flags]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${APIARY_TSAN_FRONT_END_BUILD:-build-tsan-front-end}
mkdir -p "$OUT"
g++ -std=c++20 -O1 -g -fsanitize=thread -fno-omit-frame-pointer -w -Isrc -Itests \
    -DAPIARY_SOURCE_DIR="\"$PWD\"" -DAPIARY_BINARY="\"/bin/false\"" \
    src/service/http_front_end.cpp src/service/http_message.cpp src/core/text.cpp src/core/hash.cpp src/core/error.cpp \
    tests/service/http_front_end_test.cpp tests/support/test_support.cpp \
    $(pkg-config --cflags --libs opencv4) -lgtest -lgtest_main -lssl -lcrypto -lpthread -o "$OUT/front_end_tsan"
TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" "$OUT/front_end_tsan" "$@"
