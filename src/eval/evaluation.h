#pragma once
// A model's evaluation on a test set: per label precision, recall and F1 at the assumed
// (F1-optimal) threshold, AP50 and COCO mAP@[.5:.95], PR curves; per image TP/FP/FN.
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "eval/calibration.h"
#include "eval/detection.h"
#include "eval/precision_recall.h"

namespace apiary::eval {

struct LabelMetrics {
    std::string label;
    size_t truth_boxes = 0;
    size_t test_images = 0;      // test images with at least one box of this label
    OperatingPoint assumed;      // at the assumed threshold
    double ap50 = 0;             // all-point interpolated AP at IoU 0.5
    double map50_95 = 0;         // COCO: 101-point AP averaged over IoU 0.50:0.05:0.95
    std::vector<PrPoint> curve;  // at IoU 0.5, thinned to ~2 points per percent of recall
    Reliability reliability;     // of this label's detections (confidence ≥ 10%)
};

struct ImageMetrics {
    std::string image;
    size_t true_positives = 0;
    size_t false_positives = 0;
    size_t false_negatives = 0;
};

struct EvaluationOptions {
    double iou_threshold = 0.5;
    // Fixed thresholds per label (e.g. re-evaluating a model on other data); labels not listed
    // are calibrated: the threshold of best F1 on this data.
    std::map<std::string, double> thresholds;
};

struct Evaluation {
    std::vector<LabelMetrics> labels;
    std::vector<ImageMetrics> images;
    // Over labels, as the reference service reports them: F1/precision/recall are means of the
    // per-label figures; ap50 and map50_95 are means too.
    double f1 = 0, precision = 0, recall = 0, ap50 = 0, map50_95 = 0;
    // Over every label's detections of confidence ≥ 10%: is a detection at X% right X% of the time?
    Reliability reliability;

    std::map<std::string, double> thresholds() const;
    Json to_json() const;  // evaluation.json (schema in the README)
};

Evaluation evaluate(const std::vector<ImageCase>& images, const std::vector<std::string>& labels,
                    const EvaluationOptions& options = {});

}  // namespace apiary::eval
