// Console thumbnails: turned upright exactly as the decoder turns an image by its EXIF
// orientation, with ground-truth boxes drawn where they are defined (the stored pixel grid).
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/files.h"
#include "support/test_support.h"
#include "vision/decode.h"
#include "vision/thumbnail.h"

namespace apiary::vision {
namespace {

// A 200x100 JPEG whose left quarter is white, carrying Exif orientation `o`.
std::string jpeg_with_orientation(int o) {
    cv::Mat img(100, 200, CV_8UC3, cv::Scalar(30, 30, 30));
    img(cv::Rect(0, 0, 50, 40)).setTo(cv::Scalar(255, 255, 255));
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", img, jpeg);
    const unsigned char app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
                                  'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
                                  0x00, 0x01,
                                  0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, static_cast<unsigned char>(o), 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00};
    std::string bytes(jpeg.begin(), jpeg.begin() + 2);
    bytes.append(reinterpret_cast<const char*>(app1), sizeof app1);
    bytes.append(jpeg.begin() + 2, jpeg.end());
    return bytes;
}

TEST(Thumbnail, UprightMatchesTheDecodersOrientationForAllEight) {
    DecodeLimits raw_grid;
    raw_grid.apply_exif_orientation = false;
    for (int o = 1; o <= 8; ++o) {
        const std::string bytes = jpeg_with_orientation(o);
        const cv::Mat decoded = decode_image_bytes(bytes, "x.jpg");
        const cv::Mat turned = upright(decode_image_bytes(bytes, "x.jpg", raw_grid), o);
        ASSERT_EQ(decoded.size(), turned.size()) << "orientation " << o;
        EXPECT_EQ(cv::norm(decoded, turned, cv::NORM_INF), 0) << "orientation " << o;
    }
}

TEST(Thumbnail, ScalesTheUprightPictureWithItsBoxesDrawn) {
    test::TempDir tmp;
    const auto file = tmp.path() / "rotated.jpg";
    write_file_atomic(file, jpeg_with_orientation(6));
    const std::string plain = make_thumbnail(file, {}, 64);
    const cv::Mat thumb = cv::imdecode(std::vector<uchar>(plain.begin(), plain.end()), cv::IMREAD_COLOR);
    EXPECT_EQ(thumb.cols, 32);  // 200x100 stored, 100x200 upright, longest side 64
    EXPECT_EQ(thumb.rows, 64);
    // A box round the bottom-right corner of the stored grid lands bottom-left once upright.
    const std::string boxed = make_thumbnail(file, {{"bee", {150, 60, 49, 39}, 100, "", cv::Scalar(0, 0, 255)}}, 64);
    const cv::Mat with_box = cv::imdecode(std::vector<uchar>(boxed.begin(), boxed.end()), cv::IMREAD_COLOR);
    const auto redness = [&](cv::Rect r) {
        const cv::Scalar m = cv::mean(with_box(r));
        return m[2] - m[1];
    };
    EXPECT_GT(redness(cv::Rect(0, 44, 14, 20)), 20);   // bottom-left
    EXPECT_LT(redness(cv::Rect(18, 0, 14, 20)), 10);   // top-right stays plain
}

}  // namespace
}  // namespace apiary::vision
