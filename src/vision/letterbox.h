#pragma once
// Placing an image into the network's square input (uniform scale + offset), and mapping boxes
// between the two coordinate systems. Augmentation draws random placements; inference uses the
// centred fit (nn::ImageTransform::letterbox).
#include <opencv2/core.hpp>

#include "core/geometry.h"

namespace apiary::vision {

// target = source * scale + offset (same scale on both axes).
struct Placement {
    double scale = 1;
    double dx = 0, dy = 0;

    Box to_target(const Box& b) const { return {b.left * scale + dx, b.top * scale + dy, b.width * scale, b.height * scale}; }
    Box to_source(const Box& b) const {
        return {(b.left - dx) / scale, (b.top - dy) / scale, b.width / scale, b.height / scale};
    }
};

// Renders `image` through `placement` onto a size x size grey canvas (bilinear).
cv::Mat render(const cv::Mat& image, const Placement& placement, int size);

}  // namespace apiary::vision
