#include "vision/synthetic.h"

#include <opencv2/imgproc.hpp>

#include "core/error.h"

namespace apiary::vision {
namespace {

void draw_bee(cv::Mat& img, cv::Point c, int rx, int ry, double angle) {
    cv::ellipse(img, c, {rx, ry}, angle, 0, 360, cv::Scalar(30, 200, 240), cv::FILLED, cv::LINE_AA);
    // Black stripes across the body, clipped to the ellipse by drawing into a mask.
    cv::Mat mask = cv::Mat::zeros(img.size(), CV_8U);
    cv::ellipse(mask, c, {rx, ry}, angle, 0, 360, 255, cv::FILLED);
    cv::Mat stripes = img.clone();
    const double rad = angle * CV_PI / 180.0;
    const cv::Point2d axis(std::cos(rad), std::sin(rad)), normal(-axis.y, axis.x);
    for (int k = -2; k <= 2; k += 2) {
        const cv::Point2d mid = cv::Point2d(c) + axis * (k * rx / 4.0);
        cv::line(stripes, mid - normal * ry * 1.2, mid + normal * ry * 1.2, cv::Scalar(20, 20, 20),
                 std::max(2, rx / 5), cv::LINE_AA);
    }
    stripes.copyTo(img, mask);
}

void draw_flower(cv::Mat& img, cv::Point c, int r, cv::RNG& rng) {
    const cv::Scalar petal(rng.uniform(150, 255), rng.uniform(80, 200), rng.uniform(200, 255));
    for (int k = 0; k < 6; ++k) {
        const double a = k * CV_PI / 3;
        const cv::Point p = c + cv::Point(static_cast<int>(std::cos(a) * r * 0.55), static_cast<int>(std::sin(a) * r * 0.55));
        cv::circle(img, p, static_cast<int>(r * 0.45), petal, cv::FILLED, cv::LINE_AA);
    }
    cv::circle(img, c, static_cast<int>(r * 0.35), cv::Scalar(0, 140, 220), cv::FILLED, cv::LINE_AA);
}

}  // namespace

SyntheticScene synthesize_scene(int width, int height, uint64_t seed, const std::vector<std::string>& labels,
                                int max_objects) {
    if (labels.empty()) throw Error("synthesize_scene: no labels given");
    cv::RNG rng(seed * 2654435761ull + 1);
    SyntheticScene scene;
    // Green noise, blurred: texture without object-like structure.
    cv::Mat noise(height, width, CV_8UC3);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar(60, 140, 70), cv::Scalar(25, 35, 25));
    cv::GaussianBlur(noise, scene.image, {0, 0}, 3);

    const int count = rng.uniform(1, std::max(1, max_objects) + 1);
    const int min_side = std::min(width, height);
    std::vector<cv::Rect> taken;
    for (int i = 0; i < count; ++i) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            const std::string& label = labels[static_cast<size_t>(rng.uniform(0, static_cast<int>(labels.size())))];
            const int r = rng.uniform(min_side / 12, min_side / 5 + 1);
            const cv::Point c(rng.uniform(r + 2, width - r - 2), rng.uniform(r + 2, height - r - 2));
            cv::Rect box;
            if (label == "flower") {
                box = cv::Rect(c.x - r, c.y - r, 2 * r, 2 * r);
            } else {
                // Axis-aligned bee (angle 0 or 180) keeps the box tight around the ellipse.
                box = cv::Rect(c.x - r, c.y - r / 2, 2 * r, r);
            }
            bool overlaps = false;
            for (const auto& t : taken) overlaps |= (box & t).area() > 0;
            if (overlaps) continue;
            if (label == "flower")
                draw_flower(scene.image, c, r, rng);
            else
                draw_bee(scene.image, c, r, r / 2, rng.uniform(0, 2) * 180.0);
            taken.push_back(box);
            scene.objects.push_back({label, Box{double(box.x), double(box.y), double(box.width), double(box.height)}});
            break;
        }
    }
    return scene;
}

}  // namespace apiary::vision
