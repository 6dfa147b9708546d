#pragma once
// Greedy box matching, the rule of the VOC and COCO evaluations: detections in falling score
// order each take the best-overlapping unmatched truth box of their label, if IoU ≥ threshold.
#include <vector>

#include "eval/detection.h"

namespace apiary::eval {

struct MatchedDetection {
    double score = 0;
    bool true_positive = false;
    size_t detection = 0;  // index into ImageCase::detections
    int truth = -1;        // index into ImageCase::truth of the box it matched; -1: none
};

// For one image and one label: the label's detections with their TP/FP flags, in falling score
// order, and the number of truth boxes of that label.
struct LabelMatches {
    std::vector<MatchedDetection> detections;
    size_t truth_count = 0;
};

LabelMatches match_label(const ImageCase& image, const std::string& label, double iou_threshold);

}  // namespace apiary::eval
