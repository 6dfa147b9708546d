#include <gtest/gtest.h>

#include <map>

#include <opencv2/imgcodecs.hpp>

#include <vector>

#include "core/error.h"
#include "core/files.h"
#include "support/test_support.h"
#include "vision/decode.h"
#include "vision/draw.h"
#include "vision/synthetic.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {
std::string error_of(const fs::path& p) {
    try {
        vision::decode_image_file(p);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(Decode, GoodImageDecodes) {
    test::TempDir dir;
    test::write_test_image(dir / "a.png", 120, 90);
    const auto img = vision::decode_image_file(dir / "a.png");
    EXPECT_EQ(img.cols, 120);
    EXPECT_EQ(img.rows, 90);
    EXPECT_EQ(img.channels(), 3);
}

TEST(Decode, BadInputsGiveClearErrorsNamingTheFile) {
    test::TempDir dir;
    test::write_text(dir / "notes.jpg", "these are not pixels");
    EXPECT_NE(error_of(dir / "notes.jpg").find("not an image"), std::string::npos);
    EXPECT_NE(error_of(dir / "notes.jpg").find("notes.jpg"), std::string::npos);

    test::write_test_image(dir / "whole.jpg", 200, 200);
    const std::string bytes = read_file(dir / "whole.jpg");
    test::write_text(dir / "cut.jpg", bytes.substr(0, bytes.size() / 2));
    EXPECT_NE(error_of(dir / "cut.jpg").find("truncated"), std::string::npos);

    test::write_test_image(dir / "dot.png", 1, 1);
    EXPECT_NE(error_of(dir / "dot.png").find("1x1"), std::string::npos);

    EXPECT_NE(error_of(dir / "missing.jpg").find("no such image"), std::string::npos);
    test::write_test_image(dir / "pic.bmp", 100, 100);
    EXPECT_NE(error_of(dir / "pic.bmp").find("unsupported image format"), std::string::npos);
}

TEST(Decode, HugeImageIsRefusedBeforeDecoding) {
    test::TempDir dir;
    // 10000x10000 of one colour compresses to a small PNG: the header alone must refuse it.
    cv::Mat big(10000, 10000, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::imwrite((dir / "big.png").string(), big);
    EXPECT_NE(error_of(dir / "big.png").find("10000x10000"), std::string::npos);
}

TEST(Draw, BoxesAreDrawnInTheLabelColour) {
    auto scene = vision::synthesize_scene(320, 240, 3, {"bee"});
    cv::Mat canvas(240, 320, CV_8UC3, cv::Scalar(0, 0, 0));
    vision::draw_boxes(canvas, {{"bee", Box{50, 60, 100, 80}, 99.7, "", std::nullopt}});
    const auto colour = vision::label_colour("bee");
    const auto px = canvas.at<cv::Vec3b>(120, 50);  // on the left edge of the box
    EXPECT_NEAR(px[0], colour[0], 60);
    EXPECT_NEAR(px[1], colour[1], 60);
    EXPECT_NEAR(px[2], colour[2], 60);
    EXPECT_EQ(canvas.at<cv::Vec3b>(120, 100), cv::Vec3b(0, 0, 0));  // inside stays untouched
    EXPECT_EQ(vision::label_colour("bee"), vision::label_colour("bee"));
    EXPECT_NE(vision::label_colour("bee"), vision::label_colour("flower"));
}

TEST(Synthetic, SameSeedSameSceneAndBoxesInside) {
    auto a = vision::synthesize_scene(320, 240, 9, {"bee", "flower"});
    auto b = vision::synthesize_scene(320, 240, 9, {"bee", "flower"});
    EXPECT_EQ(cv::norm(a.image, b.image), 0.0);
    ASSERT_FALSE(a.objects.empty());
    for (const auto& o : a.objects) {
        EXPECT_GE(o.box.left, 0);
        EXPECT_GE(o.box.top, 0);
        EXPECT_LE(o.box.right(), 320);
        EXPECT_LE(o.box.bottom(), 240);
    }
}

TEST(Synthetic, LookAlikeLabelsAreDrawnAndTold) {
    // Each look-alike label is drawn where its box says, in its own colours: the wasp and the bee
    // differ in build (box aspect) and stripes, the daisy and the pink flower in petal colour.
    std::map<std::string, int> seen;
    for (uint64_t seed = 1; seed <= 40; ++seed) {
        const auto scene = vision::synthesize_scene(640, 480, seed, {"bee", "wasp", "hoverfly", "flower", "daisy", "buttercup"}, 4);
        for (const auto& o : scene.objects) {
            ++seen[o.label];
            const bool insect = o.label == "bee" || o.label == "wasp" || o.label == "hoverfly";
            const double expected_aspect = o.label == "wasp" ? 0.4 : insect ? 0.5 : 1.0;
            EXPECT_NEAR(o.box.height / o.box.width, expected_aspect, 0.03) << o.label;
            // The centre pixel: the body (insect with an odd stripe count: a stripe) or the disc.
            const cv::Vec3b centre = scene.image.at<cv::Vec3b>(int(o.box.top + o.box.height / 2), int(o.box.left + o.box.width / 2));
            if (o.label == "bee" || o.label == "wasp") {
                EXPECT_LT(centre[2], 60) << o.label;  // a black stripe
            }
            if (o.label == "hoverfly") {
                EXPECT_GT(centre[2], 200);  // the orange body between its two stripes
            }
        }
    }
    for (const char* label : {"bee", "wasp", "hoverfly", "flower", "daisy", "buttercup"}) EXPECT_GT(seen[label], 5) << label;
    EXPECT_THROW(vision::synthesize_scene(64, 64, 1, {"moth"}), Error);
}

TEST(Decode, ExifOrientationIsApplied) {
    // A 200x100 JPEG carrying Exif orientation 6 ("rotate 90° clockwise to display").
    cv::Mat img(100, 200, CV_8UC3, cv::Scalar(0, 0, 0));
    img(cv::Rect(0, 0, 100, 100)).setTo(cv::Scalar(255, 255, 255));  // left half white
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", img, jpeg);
    const unsigned char app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,          // APP1, length 34
                                  'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,              // TIFF, IFD at 8
                                  0x00, 0x01,                                                // one entry
                                  0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00};                                   // no next IFD
    std::string bytes(jpeg.begin(), jpeg.begin() + 2);
    bytes.append(reinterpret_cast<const char*>(app1), sizeof app1);
    bytes.append(jpeg.begin() + 2, jpeg.end());
    const cv::Mat upright = vision::decode_image_bytes(bytes, "rotated.jpg");
    EXPECT_EQ(upright.cols, 100);
    EXPECT_EQ(upright.rows, 200);
    // Rotated clockwise, the white left half ends up on top.
    EXPECT_GT(upright.at<cv::Vec3b>(20, 50)[0], 200);
    EXPECT_LT(upright.at<cv::Vec3b>(180, 50)[0], 50);
    vision::DecodeLimits raw_grid;
    raw_grid.apply_exif_orientation = false;
    EXPECT_EQ(vision::decode_image_bytes(bytes, "rotated.jpg", raw_grid).cols, 200);
}
