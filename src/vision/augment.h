#pragma once
// Training-time augmentation: horizontal flip, scale/crop jitter and colour jitter, applied to
// an image and its boxes together.
#include <opencv2/core.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace apiary::vision {

enum class AugmentLevel { None, Light, Strong };
AugmentLevel parse_augment_level(const std::string& name);  // "none", "light", "strong"; throws Error

struct AugmentConfig {
    bool flip = false;
    double scale_min = 1, scale_max = 1;  // relative to the letterbox fit
    double shift = 0;                     // max offset of the placement, as a share of the input size
    double brightness = 0;                // max additive change, 0..255
    double contrast = 0;                  // max relative change
    double saturation = 0;                // max relative change
    double min_visible = 0.35;            // boxes cut to less than this share of their area are dropped

    static AugmentConfig for_level(AugmentLevel level);
};

struct TrainingSample {
    cv::Mat image;            // size x size BGR
    std::vector<Box> boxes;   // in input pixels
    std::vector<int> labels;  // one per box
};

// Places `image` (with `boxes`/`labels` in its pixels) into a size x size input with random
// augmentation from `rng`. With AugmentLevel::None it is a plain letterbox.
TrainingSample augment(const cv::Mat& image, const std::vector<Box>& boxes, const std::vector<int>& labels, int size,
                       const AugmentConfig& config, std::mt19937_64& rng);

}  // namespace apiary::vision
