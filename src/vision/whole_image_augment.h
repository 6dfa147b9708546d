#pragma once
// Augmentation for classifiers, which look at the whole image rather than at boxes: a random
// resized crop (a random part of the image, stretched to the square input), a horizontal flip
// and colour jitter. At test time the classifier sees the whole image stretched the same way
// (whole_image_input), which is the crop of scale 1 and aspect 1, so training and inference
// agree on what a picture looks like.
#include <opencv2/core.hpp>

#include <random>
#include <string>

namespace apiary::vision {

struct WholeImageAugment {
    bool flip = true;
    double area_min = 0.35, area_max = 1.0;  // share of the image's area the crop keeps
    double aspect_min = 0.75, aspect_max = 1.333;  // crop shape relative to the image's own
    double brightness = 24;                  // max additive change, 0..255
    double contrast = 0.2, saturation = 0.25;  // max relative changes

    static WholeImageAugment none() { return {false, 1, 1, 1, 1, 0, 0, 0}; }
    // "none", "light" (the default above) or "strong" (smaller crops, more colour); Error otherwise.
    static WholeImageAugment for_level(const std::string& level);
};

// A size x size BGR training input drawn from `image` with `config` and `rng` (reproducible:
// no std:: distributions).
cv::Mat augment_whole_image(const cv::Mat& image, int size, const WholeImageAugment& config, std::mt19937_64& rng);

// The whole image stretched to size x size (area averaging when shrinking): the classifier's input.
cv::Mat whole_image_input(const cv::Mat& image, int size);

}  // namespace apiary::vision
