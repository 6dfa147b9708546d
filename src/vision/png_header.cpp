#include <algorithm>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "vision/header_parsers.h"

namespace apiary::vision::detail {
namespace {

uint32_t be32(const std::string& s, size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24 | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8 | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

// The IEND chunk type plus its fixed CRC; matching all eight bytes rules out chance hits in
// compressed data.
const std::string kIend("IEND\xAE\x42\x60\x82", 8);
constexpr int64_t kIendSearchWindow = 64;

}  // namespace

void read_png_header(const ByteSource& src, ImageInfo& info) {
    const std::string head = src.read(0, 24);
    if (head.size() < 24 || head.compare(12, 4, "IHDR") != 0) throw Error("PNG: missing IHDR header chunk");
    const uint32_t w = be32(head, 16), h = be32(head, 20);
    if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF)
        throw Error("PNG: header gives size " + std::to_string(w) + "x" + std::to_string(h));
    info.width = static_cast<int>(w);
    info.height = static_cast<int>(h);
    const int64_t from = std::max<int64_t>(24, src.size() - kIendSearchWindow);
    info.complete = src.read(from, static_cast<size_t>(src.size() - from)).find(kIend) != std::string::npos;
}

}  // namespace apiary::vision::detail
