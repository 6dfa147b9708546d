#include "vision/synthetic.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <map>

#include "core/error.h"

namespace apiary::vision {
namespace {

// A striped ellipse: the bee and its look-alikes differ in body colour, stripe count and build.
struct Insect {
    cv::Scalar body;
    int stripes;         // odd counts are centred on the body, as the bee's 3
    double slimness;     // ry = rx * slimness
};

// A disc ringed by petals: the flowers differ in petal count and colour.
struct Flower {
    int petals;
    cv::Scalar low, high;  // petal colour drawn uniformly in [low, high) per channel (BGR)
    cv::Scalar disc;
};

const Insect* insect_of(const std::string& label) {
    static const std::map<std::string, Insect> insects = {
        {"bee", {cv::Scalar(30, 200, 240), 3, 0.5}},
        {"wasp", {cv::Scalar(20, 215, 250), 5, 0.4}},
        {"hoverfly", {cv::Scalar(30, 150, 230), 2, 0.5}},
    };
    const auto it = insects.find(label);
    return it == insects.end() ? nullptr : &it->second;
}

const Flower* flower_of(const std::string& label) {
    static const std::map<std::string, Flower> flowers = {
        {"flower", {6, cv::Scalar(150, 80, 200), cv::Scalar(255, 200, 255), cv::Scalar(0, 140, 220)}},
        {"daisy", {8, cv::Scalar(200, 200, 200), cv::Scalar(255, 255, 255), cv::Scalar(0, 170, 230)}},
        {"buttercup", {5, cv::Scalar(0, 170, 210), cv::Scalar(60, 230, 255), cv::Scalar(0, 120, 200)}},
    };
    const auto it = flowers.find(label);
    return it == flowers.end() ? nullptr : &it->second;
}

void draw_insect(cv::Mat& img, const Insect& kind, cv::Point c, int rx, int ry, double angle) {
    cv::ellipse(img, c, {rx, ry}, angle, 0, 360, kind.body, cv::FILLED, cv::LINE_AA);
    // Black stripes across the body, clipped to the ellipse by drawing into a mask.
    cv::Mat mask = cv::Mat::zeros(img.size(), CV_8U);
    cv::ellipse(mask, c, {rx, ry}, angle, 0, 360, 255, cv::FILLED);
    cv::Mat stripes = img.clone();
    const double rad = angle * CV_PI / 180.0;
    const cv::Point2d axis(std::cos(rad), std::sin(rad)), normal(-axis.y, axis.x);
    // Stripes evenly spaced over the middle of the body: the bee's three at -rx/2, 0, +rx/2.
    for (int k = 0; k < kind.stripes; ++k) {
        const double at = kind.stripes > 1 ? -0.5 + double(k) / (kind.stripes - 1) : 0;
        const cv::Point2d mid = cv::Point2d(c) + axis * (at * rx);
        cv::line(stripes, mid - normal * ry * 1.2, mid + normal * ry * 1.2, cv::Scalar(20, 20, 20),
                 std::max(2, rx * 3 / (5 * kind.stripes)), cv::LINE_AA);
    }
    stripes.copyTo(img, mask);
}

void draw_flower(cv::Mat& img, const Flower& kind, cv::Point c, int r, cv::RNG& rng) {
    const auto channel = [&](int i) { return rng.uniform(int(kind.low[i]), int(kind.high[i])); };
    const int b = channel(0), g = channel(1), red = channel(2);
    const cv::Scalar petal(b, g, red);
    for (int k = 0; k < kind.petals; ++k) {
        const double a = k * 2 * CV_PI / kind.petals;
        const cv::Point p = c + cv::Point(static_cast<int>(std::cos(a) * r * 0.55), static_cast<int>(std::sin(a) * r * 0.55));
        cv::circle(img, p, static_cast<int>(r * 0.45), petal, cv::FILLED, cv::LINE_AA);
    }
    cv::circle(img, c, static_cast<int>(r * 0.35), kind.disc, cv::FILLED, cv::LINE_AA);
}

}  // namespace

SyntheticScene synthesize_scene(int width, int height, uint64_t seed, const std::vector<std::string>& labels,
                                int max_objects) {
    if (labels.empty()) throw Error("synthesize_scene: no labels given");
    for (const auto& l : labels)
        if (!flower_of(l) && !insect_of(l)) throw Error("synthesize_scene: no drawing for label '" + l + "'");
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
            const Flower* flower = flower_of(label);
            const Insect* insect = insect_of(label);
            // Axis-aligned insects (angle 0 or 180) keep the box tight around the ellipse.
            const int ry = insect ? static_cast<int>(r * insect->slimness) : r;
            const int box_height = insect ? static_cast<int>(std::lround(2 * r * insect->slimness)) : 2 * r;
            const cv::Rect box(c.x - r, c.y - ry, 2 * r, box_height);
            bool overlaps = false;
            for (const auto& t : taken) overlaps |= (box & t).area() > 0;
            if (overlaps) continue;
            if (flower)
                draw_flower(scene.image, *flower, c, r, rng);
            else
                draw_insect(scene.image, *insect, c, r, ry, rng.uniform(0, 2) * 180.0);
            taken.push_back(box);
            scene.objects.push_back({label, Box{double(box.x), double(box.y), double(box.width), double(box.height)}});
            break;
        }
    }
    return scene;
}

}  // namespace apiary::vision
