#include "vision/jpeg_scan.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <random>

#include "core/error.h"
#include "support/test_support.h"

namespace apiary::vision {
namespace {

std::string encode(const cv::Mat& img, std::vector<int> params = {}) {
    std::vector<uchar> buf;
    cv::imencode(".jpg", img, buf, params);
    return {buf.begin(), buf.end()};
}

cv::Mat noise(int w, int h, int type = CV_8UC3) {
    cv::Mat m(h, w, type);
    cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(255));
    return m;
}

std::string without_eoi(const std::string& jpeg) { return jpeg.substr(0, jpeg.size() - 2); }

TEST(VisionJpegScanTest, CompleteSequentialFilesAreFullyCovered) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"colour 4:2:0", encode(noise(457, 123))},
        {"grey", encode(noise(100, 77, CV_8UC1))},
        {"restart markers", encode(noise(300, 200), {cv::IMWRITE_JPEG_RST_INTERVAL, 3})},
        {"optimised tables", encode(noise(64, 64), {cv::IMWRITE_JPEG_OPTIMIZE, 1})},
        {"tiny", encode(noise(1, 1))},
    };
    for (const auto& [name, jpeg] : cases) {
        EXPECT_DOUBLE_EQ(jpeg_scan_coverage(jpeg), 1.0) << name;
        EXPECT_DOUBLE_EQ(jpeg_scan_coverage(without_eoi(jpeg)), 1.0) << name << " without its end marker";
    }
}

TEST(VisionJpegScanTest, CutFilesArePartlyCovered) {
    for (int rst : {0, 2}) {
        const std::string jpeg = encode(noise(400, 300), {cv::IMWRITE_JPEG_RST_INTERVAL, rst});
        const double half = jpeg_scan_coverage(jpeg.substr(0, jpeg.size() / 2));
        EXPECT_GT(half, 0.3) << rst;
        EXPECT_LT(half, 0.7) << rst;
        const double most = jpeg_scan_coverage(jpeg.substr(0, jpeg.size() - 200));
        EXPECT_GT(most, 0.9) << rst;
        EXPECT_LT(most, 1.0) << rst;
    }
}

TEST(VisionJpegScanTest, ProgressiveAndGarbageAreNotWalked) {
    EXPECT_EQ(jpeg_scan_coverage(encode(noise(100, 100), {cv::IMWRITE_JPEG_PROGRESSIVE, 1})), 0.0);
    EXPECT_EQ(jpeg_scan_coverage(""), 0.0);
    EXPECT_EQ(jpeg_scan_coverage("\xFF\xD8"), 0.0);
    EXPECT_EQ(jpeg_scan_coverage(std::string(1000, 'x')), 0.0);
}

TEST(VisionJpegScanTest, RandomCorruptionNeverCrashes) {
    const std::string jpeg = encode(noise(120, 90), {cv::IMWRITE_JPEG_RST_INTERVAL, 1});
    std::mt19937 rng(11);
    for (int i = 0; i < 1000; ++i) {
        std::string b = jpeg.substr(0, rng() % (jpeg.size() + 1));
        for (int k = 0; k < 3 && !b.empty(); ++k) b[rng() % b.size()] = static_cast<char>(rng());
        const double c = jpeg_scan_coverage(b);
        EXPECT_GE(c, 0.0);
        EXPECT_LE(c, 1.0);
    }
}

TEST(VisionJpegScanTest, FileVariant) {
    test::TempDir dir;
    test::write_test_image(dir / "a.jpg", 90, 90);
    EXPECT_DOUBLE_EQ(jpeg_scan_coverage_file(dir / "a.jpg"), 1.0);
    EXPECT_THROW(jpeg_scan_coverage_file(dir / "missing.jpg"), Error);
}

}  // namespace
}  // namespace apiary::vision
