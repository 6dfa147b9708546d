#pragma once
// Shared by the libFuzzer targets in this folder: each one feeds the bytes to a parser the way
// the program does and treats the parser's documented refusal (an apiary::Error, or a store or
// API error derived from it) as a correct answer. Anything else — a crash, a sanitizer report,
// an exception of another type, a broken invariant — is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace apiary::fuzz {

inline std::string_view bytes_of(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A broken invariant: abort so libFuzzer saves the input as a crash.
[[noreturn]] inline void invariant_failed(const char* what, int line) {
    std::fprintf(stderr, "invariant failed at line %d: %s\n", line, what);
    std::abort();
}

#define APIARY_FUZZ_CHECK(cond)                                         \
    do {                                                                \
        if (!(cond)) ::apiary::fuzz::invariant_failed(#cond, __LINE__); \
    } while (0)

// A folder of tiny header-only images (images/a.jpg 640x480, images/b.png 100x80,
// images/c.jpg cut short) so that dataset readers get past the image checks into the box rules.
// Created once per process and removed at exit; seeds refer to these names.
const std::filesystem::path& image_fixture_dir();

}  // namespace apiary::fuzz
