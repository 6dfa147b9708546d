#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "vision/augment.h"
#include "vision/letterbox.h"

using namespace apiary;
using namespace apiary::vision;

TEST(Placement, RendersPaddedAndMapsBoxesBothWays) {
    cv::Mat img(100, 200, CV_8UC3, cv::Scalar(0, 0, 255));
    const Placement p{0.32, 0, 16};
    const cv::Mat out = render(img, p, 64);
    EXPECT_EQ(out.size(), cv::Size(64, 64));
    EXPECT_EQ(out.at<cv::Vec3b>(0, 0), cv::Vec3b(114, 114, 114));
    EXPECT_EQ(out.at<cv::Vec3b>(32, 32), cv::Vec3b(0, 0, 255));
    const Box b{50, 25, 100, 50};
    EXPECT_DOUBLE_EQ(p.to_target(b).top, 25 * 0.32 + 16);
    const Box back = p.to_source(p.to_target(b));
    EXPECT_NEAR(back.left, b.left, 1e-9);
    EXPECT_NEAR(back.height, b.height, 1e-9);
}

TEST(Augment, BoxesFollowTheObjectThroughFlipScaleAndShift) {
    // A white square on black: after augmentation the box must still frame white pixels.
    cv::Mat img(200, 300, CV_8UC3, cv::Scalar(0, 0, 0));
    const Box square{40, 50, 60, 60};
    cv::rectangle(img, cv::Rect(40, 50, 60, 60), cv::Scalar(255, 255, 255), cv::FILLED);
    std::mt19937_64 rng(5);
    const auto config = AugmentConfig::for_level(AugmentLevel::Strong);
    int checked = 0;
    for (int i = 0; i < 30; ++i) {
        const auto s = augment(img, {square}, {3}, 128, config, rng);
        ASSERT_EQ(s.image.size(), cv::Size(128, 128));
        if (s.boxes.empty()) continue;
        ASSERT_EQ(s.labels[0], 3);
        const auto& b = s.boxes[0];
        const cv::Vec3b centre = s.image.at<cv::Vec3b>(int(b.top + b.height / 2), int(b.left + b.width / 2));
        EXPECT_GT(centre[0] + centre[1] + centre[2], 3 * 150) << "iteration " << i;
        ++checked;
    }
    EXPECT_GT(checked, 20);
}

TEST(Augment, SameSeedSameSampleAndNoneIsACentredFit) {
    cv::Mat img(90, 120, CV_8UC3);
    cv::randu(img, 0, 255);
    std::mt19937_64 a(3), b(3);
    const auto config = AugmentConfig::for_level(AugmentLevel::Light);
    EXPECT_EQ(cv::norm(augment(img, {}, {}, 64, config, a).image, augment(img, {}, {}, 64, config, b).image), 0.0);
    std::mt19937_64 c(1);
    const auto plain = augment(img, {{10, 10, 20, 20}}, {0}, 64, AugmentConfig::for_level(AugmentLevel::None), c);
    // Fit: min(64/120, 64/90) = 0.533; the 120x90 image becomes 64x48, centred 8 px down.
    EXPECT_NEAR(plain.boxes[0].left, 10 * 64.0 / 120, 1e-6);
    EXPECT_NEAR(plain.boxes[0].top, 10 * 64.0 / 120 + 8, 1e-6);
}
