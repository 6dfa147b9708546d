#include <algorithm>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "vision/header_parsers.h"

namespace apiary::vision::detail {
namespace {

uint8_t byte_at(const std::string& s, size_t i) { return static_cast<uint8_t>(s[i]); }

// SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the marker range.
bool is_start_of_frame(uint8_t marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool is_standalone(uint8_t marker) { return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7); }

uint16_t read_u16(std::string_view s, size_t at, bool little_endian) {
    const auto b0 = static_cast<uint8_t>(s[at]), b1 = static_cast<uint8_t>(s[at + 1]);
    return little_endian ? static_cast<uint16_t>(b0 | b1 << 8) : static_cast<uint16_t>(b0 << 8 | b1);
}

uint32_t read_u32(std::string_view s, size_t at, bool little_endian) {
    const uint32_t hi = read_u16(s, at, little_endian), lo = read_u16(s, at + 2, little_endian);
    return little_endian ? (lo << 16 | hi) : (hi << 16 | lo);
}

// Trailing bytes after EOI (camera trailers, padding) are tolerated up to this much.
constexpr int64_t kEoiSearchWindow = 4096;

}  // namespace

int exif_orientation(std::string_view payload) {
    if (payload.size() < 14 || payload.substr(0, 6) != std::string_view("Exif\0\0", 6)) return 1;
    const std::string_view tiff = payload.substr(6);
    bool le;
    if (tiff.substr(0, 2) == "II") le = true;
    else if (tiff.substr(0, 2) == "MM") le = false;
    else return 1;
    if (read_u16(tiff, 2, le) != 42) return 1;
    const uint32_t ifd = read_u32(tiff, 4, le);
    if (ifd > tiff.size() || tiff.size() - ifd < 2) return 1;
    const uint16_t count = read_u16(tiff, ifd, le);
    for (uint32_t i = 0; i < count; ++i) {
        const size_t at = ifd + 2 + static_cast<size_t>(i) * 12;
        if (at + 12 > tiff.size()) return 1;
        if (read_u16(tiff, at, le) != 0x0112) continue;
        if (read_u16(tiff, at + 2, le) != 3) return 1;  // orientation must be a SHORT
        const uint16_t v = read_u16(tiff, at + 8, le);
        return v >= 1 && v <= 8 ? v : 1;
    }
    return 1;
}

void read_jpeg_header(const ByteSource& src, ImageInfo& info) {
    bool have_frame = false, have_scan = false, have_exif = false;
    int64_t pos = 2;  // after SOI
    while (true) {
        const std::string head = src.read(pos, 4);
        if (head.size() < 2) break;  // cut short before the scan
        if (byte_at(head, 0) != 0xFF) throw Error("JPEG: expected a marker at byte " + std::to_string(pos));
        const uint8_t marker = byte_at(head, 1);
        if (marker == 0xFF) {  // fill byte
            ++pos;
            continue;
        }
        if (is_standalone(marker)) {
            pos += 2;
            continue;
        }
        if (marker == 0xD8 || marker == 0xD9)
            throw Error("JPEG: unexpected " + std::string(marker == 0xD8 ? "SOI" : "EOI") + " marker before the image data");
        if (head.size() < 4) break;
        const int length = byte_at(head, 2) << 8 | byte_at(head, 3);
        if (length < 2) throw Error("JPEG: segment length " + std::to_string(length) + " at byte " + std::to_string(pos));
        if (is_start_of_frame(marker) && !have_frame) {
            const std::string sof = src.read(pos + 4, 5);
            if (sof.size() < 5) break;
            info.height = byte_at(sof, 1) << 8 | byte_at(sof, 2);
            info.width = byte_at(sof, 3) << 8 | byte_at(sof, 4);
            if (info.width == 0 || info.height == 0)
                throw Error("JPEG: frame header gives size " + std::to_string(info.width) + "x" + std::to_string(info.height));
            have_frame = true;
        } else if (marker == 0xE1 && !have_exif) {
            const std::string payload = src.read(pos + 4, static_cast<size_t>(length - 2));
            if (payload.compare(0, 6, std::string("Exif\0\0", 6)) == 0) {
                info.exif_orientation = exif_orientation(payload);
                have_exif = true;
            }
        } else if (marker == 0xDA) {
            have_scan = true;
            pos += 2 + length;
            break;
        }
        pos += 2 + length;
    }
    if (!have_frame) throw Error("JPEG: no frame header (SOFn marker) found");
    info.complete = false;
    if (!have_scan || pos > src.size()) return;
    // Entropy-coded data stuffs every 0xFF with 0x00, so FF D9 after the scan header can only be EOI.
    const int64_t from = std::max(pos, src.size() - kEoiSearchWindow);
    const std::string tail = src.read(from, static_cast<size_t>(src.size() - from));
    info.complete = tail.find("\xFF\xD9") != std::string::npos;
}

}  // namespace apiary::vision::detail
