#pragma once
// Annotated pictures for classifiers: their labels are about the whole image, so instead of
// boxes the image gets one "label 97.3%" caption per label, stacked from its top-left corner
// in the label's colour (draw.h's label_colour), best first as given.
#include <opencv2/core.hpp>

#include <string>
#include <utility>
#include <vector>

namespace apiary::vision {

// (label, confidence 0..100) pairs.
void draw_image_labels(cv::Mat& image, const std::vector<std::pair<std::string, double>>& labels);

}  // namespace apiary::vision
