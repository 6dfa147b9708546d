#include "vision/image_probe.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <random>

#include "core/error.h"
#include "support/test_support.h"

namespace apiary::vision {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_test_image;

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const fs::path& p, const std::string& bytes) { test::write_text(p, bytes); }

std::string jpeg_bytes(int w, int h, bool progressive = false) {
    cv::Mat img(h, w, CV_8UC3, cv::Scalar(30, 120, 200));
    std::vector<uchar> buf;
    cv::imencode(".jpg", img, buf, {cv::IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0});
    return {buf.begin(), buf.end()};
}

// An APP1 Exif segment holding only an orientation tag, in the given byte order.
std::string exif_segment(int orientation, bool little_endian) {
    auto u16 = [&](int v) {
        return little_endian ? std::string{char(v & 0xFF), char(v >> 8)} : std::string{char(v >> 8), char(v & 0xFF)};
    };
    auto u32 = [&](int v) { return little_endian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF); };
    std::string tiff = (little_endian ? "II" : "MM") + u16(42) + u32(8);
    tiff += u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0) + u32(0);
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const int len = static_cast<int>(payload.size()) + 2;
    return std::string{'\xFF', '\xE1', char(len >> 8), char(len & 0xFF)} + payload;
}

std::string with_exif(const std::string& jpeg, int orientation, bool little_endian) {
    return jpeg.substr(0, 2) + exif_segment(orientation, little_endian) + jpeg.substr(2);
}

TEST(ProbeTest, BaselineJpeg) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 320, 200);
    const ImageInfo info = probe_image(dir / "a.jpg");
    EXPECT_EQ(info.format, ImageFormat::Jpeg);
    EXPECT_EQ(info.width, 320);
    EXPECT_EQ(info.height, 200);
    EXPECT_EQ(info.bytes, static_cast<int64_t>(fs::file_size(dir / "a.jpg")));
    EXPECT_TRUE(info.complete);
    EXPECT_EQ(info.exif_orientation, 1);
}

TEST(ProbeTest, ProgressiveJpeg) {
    TempDir dir;
    cv::Mat img(123, 457, CV_8UC3, cv::Scalar(10, 200, 90));
    ASSERT_TRUE(cv::imwrite((dir / "p.jpg").string(), img, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    const std::string bytes = read_bytes(dir / "p.jpg");
    ASSERT_NE(bytes.find("\xFF\xC2"), std::string::npos) << "OpenCV did not write a progressive (SOF2) frame";
    const ImageInfo info = probe_image(dir / "p.jpg");
    EXPECT_EQ(info.format, ImageFormat::Jpeg);
    EXPECT_EQ(info.width, 457);
    EXPECT_EQ(info.height, 123);
    EXPECT_TRUE(info.complete);
}

TEST(ProbeTest, Png) {
    TempDir dir;
    write_test_image(dir / "a.png", 64, 99);
    const ImageInfo info = probe_image(dir / "a.png");
    EXPECT_EQ(info.format, ImageFormat::Png);
    EXPECT_EQ(info.width, 64);
    EXPECT_EQ(info.height, 99);
    EXPECT_TRUE(info.complete);
}

TEST(ProbeTest, TruncatedJpegIsIncomplete) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 300, 300);
    const std::string bytes = read_bytes(dir / "a.jpg");
    write_bytes(dir / "cut.jpg", bytes.substr(0, bytes.size() / 2));
    const ImageInfo info = probe_image(dir / "cut.jpg");
    EXPECT_EQ(info.format, ImageFormat::Jpeg);
    EXPECT_EQ(info.width, 300);
    EXPECT_FALSE(info.complete);
}

TEST(ProbeTest, JpegCutInsideItsHeaderThrows) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100);
    write_bytes(dir / "cut.jpg", read_bytes(dir / "a.jpg").substr(0, 30));
    EXPECT_THROW(probe_image(dir / "cut.jpg"), Error);
}

TEST(ProbeTest, TruncatedPngIsIncomplete) {
    TempDir dir;
    write_test_image(dir / "a.png", 200, 200);
    const std::string bytes = read_bytes(dir / "a.png");
    const ImageInfo info = probe_image_bytes(bytes.substr(0, bytes.size() - 20));
    EXPECT_EQ(info.format, ImageFormat::Png);
    EXPECT_EQ(info.width, 200);
    EXPECT_FALSE(info.complete);
}

TEST(ProbeTest, GarbageBytesAreUnknown) {
    std::mt19937 rng(7);
    std::string bytes(4096, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    bytes[0] = 'x';  // not by chance a known magic
    const ImageInfo info = probe_image_bytes(bytes);
    EXPECT_EQ(info.format, ImageFormat::Unknown);
    EXPECT_EQ(info.bytes, 4096);
}

TEST(ProbeTest, MalformedJpegHeaderThrowsNamingThePath) {
    TempDir dir;
    write_bytes(dir / "bad.jpg", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11) + std::string(200, 'z'));
    try {
        probe_image(dir / "bad.jpg");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("bad.jpg"), std::string::npos) << e.what();
    }
}

TEST(ProbeTest, PngWithoutHeaderChunkThrows) {
    EXPECT_THROW(probe_image_bytes(std::string("\x89PNG\r\n\x1A\n", 8) + std::string(40, '\0')), Error);
}

TEST(ProbeTest, MissingFileThrowsNamingThePath) {
    TempDir dir;
    try {
        probe_image(dir / "nope.jpg");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nope.jpg"), std::string::npos);
    }
}

TEST(ProbeTest, FolderThrows) {
    TempDir dir;
    EXPECT_THROW(probe_image(dir.path()), Error);
}

TEST(ProbeTest, Bmp) {
    TempDir dir;
    write_test_image(dir / "a.bmp", 80, 70);
    const ImageInfo info = probe_image(dir / "a.bmp");
    EXPECT_EQ(info.format, ImageFormat::Bmp);
    EXPECT_EQ(info.width, 80);
    EXPECT_EQ(info.height, 70);
}

TEST(ProbeTest, GifWebpTiffAreRecognised) {
    EXPECT_EQ(probe_image_bytes(std::string("GIF89a\x0A\x00\x14\x00", 10) + std::string(20, '\0')).format, ImageFormat::Gif);
    EXPECT_EQ(probe_image_bytes(std::string("GIF89a\x0A\x00\x14\x00", 10)).height, 20);
    EXPECT_EQ(probe_image_bytes(std::string("RIFF\x10\x00\x00\x00WEBPVP8X", 16) + std::string(20, '\0')).format, ImageFormat::Webp);
    EXPECT_EQ(probe_image_bytes(std::string("II*\0\x08\0\0\0", 8)).format, ImageFormat::Tiff);
    EXPECT_EQ(probe_image_bytes(std::string("MM\0*\0\0\0\x08", 8)).format, ImageFormat::Tiff);
}

TEST(ProbeTest, BytesAndFileAgree) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 150, 90, 3);
    const ImageInfo a = probe_image(dir / "a.jpg"), b = probe_image_bytes(read_bytes(dir / "a.jpg"));
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    EXPECT_EQ(a.bytes, b.bytes);
    EXPECT_EQ(a.complete, b.complete);
}

TEST(ProbeTest, ExifOrientationLittleAndBigEndian) {
    const std::string jpeg = jpeg_bytes(200, 100);
    for (bool le : {true, false}) {
        const ImageInfo info = probe_image_bytes(with_exif(jpeg, 6, le));
        EXPECT_EQ(info.exif_orientation, 6) << (le ? "II" : "MM");
        EXPECT_EQ(info.width, 200);  // stored size, not the displayed one
        EXPECT_EQ(info.height, 100);
        EXPECT_TRUE(info.complete);
    }
    EXPECT_EQ(probe_image_bytes(with_exif(jpeg, 8, true)).exif_orientation, 8);
}

TEST(ProbeTest, InvalidExifOrientationDefaultsToOne) {
    const std::string jpeg = jpeg_bytes(100, 100);
    EXPECT_EQ(probe_image_bytes(with_exif(jpeg, 9, true)).exif_orientation, 1);
    EXPECT_EQ(probe_image_bytes(with_exif(jpeg, 0, false)).exif_orientation, 1);
    // A truncated Exif block must not be read past its end.
    std::string seg = exif_segment(6, true);
    seg = seg.substr(0, 14);
    seg[2] = 0;
    seg[3] = 12;
    EXPECT_EQ(probe_image_bytes(jpeg.substr(0, 2) + seg + jpeg.substr(2)).exif_orientation, 1);
}

TEST(ProbeTest, ProgressiveJpegWithExif) {
    const ImageInfo info = probe_image_bytes(with_exif(jpeg_bytes(640, 480, true), 3, false));
    EXPECT_EQ(info.width, 640);
    EXPECT_EQ(info.height, 480);
    EXPECT_EQ(info.exif_orientation, 3);
    EXPECT_TRUE(info.complete);
}

TEST(ProbeTest, FormatNames) {
    EXPECT_EQ(to_string(ImageFormat::Jpeg), "jpeg");
    EXPECT_EQ(to_string(ImageFormat::Png), "png");
    EXPECT_EQ(to_string(ImageFormat::Bmp), "bmp");
    EXPECT_EQ(to_string(ImageFormat::Unknown), "unknown");
}

TEST(ProbeTest, RandomCorruptionNeverCrashes) {
    const std::string jpeg = jpeg_bytes(120, 80, true);
    std::mt19937 rng(42);
    for (int i = 0; i < 2000; ++i) {
        std::string b = jpeg.substr(0, rng() % (jpeg.size() + 1));
        for (int k = 0; k < 4 && !b.empty(); ++k) b[rng() % b.size()] = static_cast<char>(rng());
        try {
            const ImageInfo info = probe_image_bytes(b);
            EXPECT_GE(info.width, 0);
        } catch (const Error&) {
        }
    }
}

}  // namespace
}  // namespace apiary::vision
