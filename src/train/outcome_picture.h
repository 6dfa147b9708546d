#pragma once
// A test image as an evaluation saw it, from the stored predictions: kept detections green (TP)
// or red (FP), missed truth boxes orange, each captioned — for `apiary draw --evaluation` and
// the version comparison report.
#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <vector>

#include "eval/predictions.h"
#include "store/catalog.h"

namespace apiary::train {

const char* outcome_code(eval::Outcome outcome);  // "TP", "FP", "FN"

// The judged boxes drawn on the stored test image (its stored pixel grid). NotFound when the
// image is no longer in the project's test dataset.
cv::Mat outcome_picture(store::Catalog& catalog, const std::string& project, const eval::StoredImage& image,
                        const std::vector<eval::JudgedBox>& judged);

}  // namespace apiary::train
