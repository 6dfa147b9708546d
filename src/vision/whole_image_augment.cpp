#include "vision/whole_image_augment.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace apiary::vision {
namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng() >> 11) * (1.0 / 9007199254740992.0));
}

void jitter_colour(cv::Mat& img, const WholeImageAugment& c, std::mt19937_64& rng) {
    if (c.brightness <= 0 && c.contrast <= 0 && c.saturation <= 0) return;
    const double alpha = 1 + uniform(rng, -c.contrast, c.contrast);
    const double beta = uniform(rng, -c.brightness, c.brightness);
    const double sat = 1 + uniform(rng, -c.saturation, c.saturation);
    cv::Mat f, grey;
    img.convertTo(f, CV_32F);
    cv::cvtColor(f, grey, cv::COLOR_BGR2GRAY);
    cv::cvtColor(grey, grey, cv::COLOR_GRAY2BGR);
    f = grey + (f - grey) * sat;
    f.convertTo(img, CV_8U, alpha, beta + (1 - alpha) * 128);
}

}  // namespace

WholeImageAugment WholeImageAugment::for_level(const std::string& level) {
    if (level == "none") return none();
    WholeImageAugment c;
    if (level == "light") return c;
    if (level == "strong") {
        c.area_min = 0.2, c.brightness = 32, c.contrast = 0.3, c.saturation = 0.4;
        return c;
    }
    throw Error(Location{"", 0, "augment"}, "'" + level + "' is not none, light or strong");
}

cv::Mat whole_image_input(const cv::Mat& image, int size) {
    cv::Mat out;
    const bool shrinking = image.cols > size || image.rows > size;
    cv::resize(image, out, {size, size}, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

cv::Mat augment_whole_image(const cv::Mat& image, int size, const WholeImageAugment& c, std::mt19937_64& rng) {
    const double area = uniform(rng, c.area_min, c.area_max);
    // Log-uniform aspect, as torchvision's RandomResizedCrop draws it.
    const double aspect = std::exp(uniform(rng, std::log(c.aspect_min), std::log(c.aspect_max)));
    const double scale_w = std::min(1.0, std::sqrt(area * aspect)), scale_h = std::min(1.0, std::sqrt(area / aspect));
    const int w = std::max(1, int(std::lround(image.cols * scale_w)));
    const int h = std::max(1, int(std::lround(image.rows * scale_h)));
    const int x = int(std::floor(uniform(rng, 0, image.cols - w + 1 - 1e-9)));
    const int y = int(std::floor(uniform(rng, 0, image.rows - h + 1 - 1e-9)));
    cv::Mat out = whole_image_input(image(cv::Rect(std::clamp(x, 0, image.cols - w), std::clamp(y, 0, image.rows - h), w, h)), size);
    if (c.flip && (rng() & 1)) cv::flip(out, out, 1);
    jitter_colour(out, c, rng);
    return out;
}

}  // namespace apiary::vision
