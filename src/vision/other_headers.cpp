#include <cstdint>
#include <cstdlib>
#include <string>

#include "vision/header_parsers.h"

namespace apiary::vision::detail {
namespace {

uint32_t le(const std::string& s, size_t at, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
    return v;
}

// A size as the header states it; 0 ("not stated") for one beyond what an int holds, so a
// caller never sees a negative dimension.
int dimension(int64_t v) { return v >= 0 && v <= INT32_MAX ? static_cast<int>(v) : 0; }

void read_webp(const std::string& h, ImageInfo& info) {
    if (h.size() < 30) return;
    const std::string chunk = h.substr(12, 4);
    if (chunk == "VP8 ") {
        info.width = static_cast<int>(le(h, 26, 2) & 0x3FFF);
        info.height = static_cast<int>(le(h, 28, 2) & 0x3FFF);
    } else if (chunk == "VP8L") {
        const uint32_t bits = le(h, 21, 4);
        info.width = static_cast<int>((bits & 0x3FFF) + 1);
        info.height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1);
    } else if (chunk == "VP8X") {
        info.width = static_cast<int>(le(h, 24, 3) + 1);
        info.height = static_cast<int>(le(h, 27, 3) + 1);
    }
}

}  // namespace

void read_other_header(const ByteSource& src, ImageInfo& info) {
    const std::string h = src.read(0, 32);
    info.complete = true;  // not checked: these formats are rejected before completeness matters
    switch (info.format) {
        case ImageFormat::Gif:
            if (h.size() >= 10) {
                info.width = static_cast<int>(le(h, 6, 2));
                info.height = static_cast<int>(le(h, 8, 2));
            }
            break;
        case ImageFormat::Bmp:
            if (h.size() >= 26) {
                const bool os2 = le(h, 14, 4) == 12;
                info.width = dimension(static_cast<int32_t>(le(h, 18, os2 ? 2 : 4)));
                // A negative height marks a top-down bitmap; its magnitude, taken in 64 bits,
                // since std::abs of INT32_MIN is undefined.
                const int32_t height = static_cast<int32_t>(os2 ? le(h, 20, 2) : le(h, 22, 4));
                info.height = dimension(std::abs(static_cast<int64_t>(height)));
            }
            break;
        case ImageFormat::Webp:
            read_webp(h, info);
            break;
        default:
            break;
    }
}

}  // namespace apiary::vision::detail
