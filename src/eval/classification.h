#pragma once
// Image classification judged with the detection machinery: an image's labels become truth
// boxes covering the whole image, and each label's probability a detection covering the whole
// image. Two whole-image boxes overlap at IoU 1, so a label's true/false positives and misses,
// its PR curve, AP, assumed (F1-optimal) threshold, calibration fit and the stored predictions
// (evaluate --min-confidence, draw --evaluation, compare) all take their classification
// meaning without a second implementation. What only classification has — accuracy and the
// confusion matrix — is computed here.
#include <string>
#include <vector>

#include "core/json.h"
#include "eval/detection.h"
#include "eval/evaluation.h"

namespace apiary::eval {

// `scores[i]` is the (calibrated) confidence of `labels[i]`, 0..1; `truth` the image's labels.
// Boxes span width x height pixels (the image's, so drawn outcomes frame the picture).
ImageCase classification_case(const std::string& image, double width, double height,
                              const std::vector<std::string>& truth, const std::vector<double>& scores,
                              const std::vector<std::string>& labels);

struct ClassificationMetrics {
    bool multi_label = false;
    size_t images = 0;
    // Single-label: the best-scored label is the truth (top-1). Multi-label: the labels at or
    // above their assumed thresholds are exactly the truth (exact match).
    double accuracy = 0;
    double macro_f1 = 0;  // mean over labels of F1 at the assumed thresholds
    // Single-label only: confusion[t][p] = test images of truth label t whose best label is p.
    std::vector<std::vector<size_t>> confusion;
    std::vector<std::string> labels;

    // {"task","images","accuracy","macro_f1","confusion_matrix":{"labels","rows"}} (rows: truth)
    Json to_json() const;
    // The reference summary's ConfusionMatrix: [{"GroundTruthLabel","PredictedLabel","Value"}],
    // Value the share of the truth label's images predicted as the label. Empty when multi-label.
    Json reference_confusion_matrix() const;
};

// From the cases classification_case made and the evaluation of those cases.
ClassificationMetrics classification_metrics(const std::vector<ImageCase>& cases, const std::vector<std::string>& labels,
                                             bool multi_label, const Evaluation& evaluation);

}  // namespace apiary::eval
