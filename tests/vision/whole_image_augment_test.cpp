// Whole-image augmentation for classifiers: input size, reproducibility, and that "none" is
// exactly the test-time input.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "vision/draw_labels.h"
#include "vision/whole_image_augment.h"

using namespace apiary;

namespace {
cv::Mat gradient(int w, int h) {
    cv::Mat img(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) img.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x % 256), uchar(y % 256), 128);
    return img;
}
}  // namespace

TEST(WholeImageAugment, GivesTheInputSizeAndRepeatsWithTheSeed) {
    const cv::Mat img = gradient(384, 512);
    const auto c = vision::WholeImageAugment::for_level("light");
    std::mt19937_64 a(5), b(5);
    for (int i = 0; i < 20; ++i) {
        const cv::Mat x = vision::augment_whole_image(img, 96, c, a), y = vision::augment_whole_image(img, 96, c, b);
        ASSERT_EQ(x.size(), cv::Size(96, 96));
        EXPECT_EQ(cv::norm(x, y, cv::NORM_INF), 0);
    }
}

TEST(WholeImageAugment, NoneIsTheTestTimeInput) {
    const cv::Mat img = gradient(200, 120);
    std::mt19937_64 rng(1);
    const cv::Mat x = vision::augment_whole_image(img, 64, vision::WholeImageAugment::none(), rng);
    EXPECT_EQ(cv::norm(x, vision::whole_image_input(img, 64), cv::NORM_INF), 0);
    EXPECT_THROW(vision::WholeImageAugment::for_level("wild"), Error);
}

TEST(DrawImageLabels, WritesCaptionsInTheTopLeftCorner) {
    cv::Mat img(200, 300, CV_8UC3, cv::Scalar::all(0));
    vision::draw_image_labels(img, {{"glass", 97.3}, {"plastic", 12.0}});
    EXPECT_GT(cv::countNonZero(img(cv::Rect(0, 0, 100, 40)).reshape(1)), 100);
    EXPECT_EQ(cv::countNonZero(img(cv::Rect(200, 150, 100, 50)).reshape(1)), 0);
}
