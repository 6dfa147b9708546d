#include "vision/augment.h"

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "vision/letterbox.h"

namespace apiary::vision {
namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
    // Not std::uniform_real_distribution: its output differs between standard libraries, and
    // training runs must be reproducible from the seed.
    return lo + (hi - lo) * (double(rng() >> 11) * (1.0 / 9007199254740992.0));
}

void jitter_colour(cv::Mat& img, const AugmentConfig& c, std::mt19937_64& rng) {
    if (c.brightness <= 0 && c.contrast <= 0 && c.saturation <= 0) return;
    const double alpha = 1 + uniform(rng, -c.contrast, c.contrast);
    const double beta = uniform(rng, -c.brightness, c.brightness);
    const double sat = 1 + uniform(rng, -c.saturation, c.saturation);
    cv::Mat f;
    img.convertTo(f, CV_32F);
    cv::Mat grey;
    cv::cvtColor(f, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, grey, cv::COLOR_GRAY2BGR);
    f = grey + (f - grey) * sat;  // saturation: move away from / toward the grey image
    f.convertTo(img, CV_8U, alpha, beta + (1 - alpha) * 128);
}

}  // namespace

AugmentLevel parse_augment_level(const std::string& name) {
    if (name == "none") return AugmentLevel::None;
    if (name == "light") return AugmentLevel::Light;
    if (name == "strong") return AugmentLevel::Strong;
    throw Error(Location{"", 0, "--augment"}, "'" + name + "' is not none, light or strong");
}

AugmentConfig AugmentConfig::for_level(AugmentLevel level) {
    AugmentConfig c;
    switch (level) {
        case AugmentLevel::None:
            break;
        case AugmentLevel::Light:
            c.flip = true;
            c.scale_min = 0.8, c.scale_max = 1.2, c.shift = 0.1;
            c.brightness = 20, c.contrast = 0.15, c.saturation = 0.2;
            break;
        case AugmentLevel::Strong:
            c.flip = true;
            c.scale_min = 0.6, c.scale_max = 1.5, c.shift = 0.25;
            c.brightness = 32, c.contrast = 0.3, c.saturation = 0.4;
            break;
    }
    return c;
}

TrainingSample augment(const cv::Mat& image, const std::vector<Box>& boxes, const std::vector<int>& labels, int size,
                       const AugmentConfig& c, std::mt19937_64& rng) {
    const double fit = std::min(double(size) / image.cols, double(size) / image.rows);
    Placement p;
    p.scale = fit * uniform(rng, c.scale_min, c.scale_max);
    const double w = image.cols * p.scale, h = image.rows * p.scale;
    p.dx = (size - w) / 2 + uniform(rng, -c.shift, c.shift) * size;
    p.dy = (size - h) / 2 + uniform(rng, -c.shift, c.shift) * size;
    const bool flip = c.flip && (rng() & 1);

    TrainingSample s;
    if (flip) {
        cv::Mat flipped;
        cv::flip(image, flipped, 1);
        s.image = render(flipped, p, size);
    } else {
        s.image = render(image, p, size);
    }
    jitter_colour(s.image, c, rng);

    const Box canvas{0, 0, double(size), double(size)};
    for (size_t i = 0; i < boxes.size(); ++i) {
        Box b = boxes[i];
        if (flip) b.left = image.cols - b.right();
        b = p.to_target(b);
        const double x0 = std::max(b.left, canvas.left), y0 = std::max(b.top, canvas.top);
        const double x1 = std::min(b.right(), canvas.right()), y1 = std::min(b.bottom(), canvas.bottom());
        const Box clipped = Box::from_corners(x0, y0, x1, y1);
        if (x1 - x0 < 2 || y1 - y0 < 2 || clipped.area() < c.min_visible * b.area()) continue;
        s.boxes.push_back(clipped);
        s.labels.push_back(labels[i]);
    }
    return s;
}

}  // namespace apiary::vision
