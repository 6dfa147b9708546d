#pragma once
// Annotated pictures: boxes with "label 99.7%" captions, one colour per label.
#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace apiary::vision {

struct DrawnBox {
    std::string label;
    Box box;            // pixels
    double confidence;  // 0..100
    std::string caption;               // empty: "label 99.7%"
    std::optional<cv::Scalar> colour;  // unset: the label's colour
};

// A stable, distinct colour for each label name (the same label is the same colour everywhere).
cv::Scalar label_colour(const std::string& label);

void draw_boxes(cv::Mat& image, const std::vector<DrawnBox>& boxes);

}  // namespace apiary::vision
