// GIF/BMP/WebP sizes from header bytes: only reported, never an error, and never negative —
// a size the header cannot give (more than 2^31 - 1 pixels) is 0, "not stated".
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "vision/image_probe.h"

namespace apiary::vision {
namespace {

std::string le32(uint32_t v) {
    return {char(v & 0xFF), char(v >> 8 & 0xFF), char(v >> 16 & 0xFF), char(v >> 24 & 0xFF)};
}

// A BITMAPINFOHEADER file header with the given raw width and height fields.
std::string bmp_header(uint32_t width, uint32_t height) {
    return "BM" + std::string(12, '\0') + le32(40) + le32(width) + le32(height) + std::string(8, '\0');
}

TEST(OtherHeadersTest, BmpSizesAsStated) {
    const ImageInfo info = probe_image_bytes(bmp_header(640, 480));
    EXPECT_EQ(info.format, ImageFormat::Bmp);
    EXPECT_EQ(info.width, 640);
    EXPECT_EQ(info.height, 480);
}

TEST(OtherHeadersTest, TopDownBmpHeightIsItsMagnitude) {
    const ImageInfo info = probe_image_bytes(bmp_header(64, static_cast<uint32_t>(-48)));
    EXPECT_EQ(info.height, 48);
}

// Found by image_probe_fuzz (fuzz/corpus/image_probe/crash_bmp_negative_width.bmp): a width
// field over 2^31 came back as a negative width, and a height of -2^31 went through std::abs,
// which is undefined for it.
TEST(OtherHeadersTest, BmpSizesBeyondIntAreNotStatedRatherThanNegative) {
    const ImageInfo info = probe_image_bytes(bmp_header(0x96969696u, 0x80000000u));
    EXPECT_EQ(info.format, ImageFormat::Bmp);
    EXPECT_EQ(info.width, 0);
    EXPECT_EQ(info.height, 0);
}

}  // namespace
}  // namespace apiary::vision
