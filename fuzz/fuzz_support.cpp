#include "fuzz_support.h"

#include <unistd.h>

#include <fstream>

namespace apiary::fuzz {
namespace {

namespace fs = std::filesystem;

std::string be16(int v) { return {static_cast<char>(v >> 8 & 0xFF), static_cast<char>(v & 0xFF)}; }
std::string be32(uint32_t v) { return be16(static_cast<int>(v >> 16)) + be16(static_cast<int>(v & 0xFFFF)); }

// SOI, a baseline frame header, a scan header, a few data bytes and EOI: enough for the probe,
// which reads headers and never decodes pixels.
std::string jpeg_header(int width, int height, bool with_end) {
    std::string j = "\xFF\xD8";
    j += std::string("\xFF\xC0\x00\x11\x08", 5) + be16(height) + be16(width) +
         std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    j += std::string("\xFF\xDA\x00\x0C\x03\x01\x00\x02\x11\x03\x11\x00\x3F\x00", 14);
    j += std::string(64, '\x55');
    if (with_end) j += "\xFF\xD9";
    return j;
}

std::string png_header(uint32_t width, uint32_t height) {
    return std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16) + be32(width) + be32(height) +
           std::string(
               "\x08\x02\x00\x00\x00"
               "\x00\x00\x00\x00"
               "\x00\x00\x00\x00IEND\xAE\x42\x60\x82",
               21);
}

void write(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; }

}  // namespace

const fs::path& image_fixture_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("apiary-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(d / "images");
        write(d / "images" / "a.jpg", jpeg_header(640, 480, true));
        write(d / "images" / "b.png", png_header(100, 80));
        write(d / "images" / "c.jpg", jpeg_header(320, 240, false));
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(fs::temp_directory_path() / ("apiary-fuzz-" + std::to_string(::getpid())), ec);
        });
        return d;
    }();
    return dir;
}

}  // namespace apiary::fuzz
