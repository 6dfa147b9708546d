#pragma once
// Every test detection an evaluation saw, kept with the model: its box, its (calibrated)
// confidence and what it matched at IoU 0.5, and every truth box. Greedy matching decides a
// detection from higher-scored detections only, so the matches made over all detections are
// exactly those a higher threshold would make over the ones it keeps: precision, recall and F1
// at any threshold, and each image's TP/FP/FN, follow from this file without the model.
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "eval/detection.h"
#include "eval/precision_recall.h"

namespace apiary::eval {

struct StoredDetection {
    std::string label;
    Box box;
    double confidence = 0;  // 0..1
    int truth = -1;         // index into the image's truth boxes it matched (a TP); -1: an FP
};

struct StoredImage {
    std::string image;
    std::vector<TruthBox> truth;
    std::vector<StoredDetection> detections;  // falling confidence
};

// What each box is when detections below `threshold` are dropped.
enum class Outcome { TruePositive, FalsePositive, FalseNegative };
struct JudgedBox {
    std::string label;
    Box box;
    double confidence = 0;  // of the detection; for a missed truth box, 0
    Outcome outcome;
};

struct StoredPredictions {
    static constexpr double kDefaultFloor = 0.01;
    double floor = kDefaultFloor;  // detections below this confidence were not kept
    double iou_threshold = 0.5;
    std::vector<std::string> labels;
    std::vector<StoredImage> images;

    // Per label, at each label's threshold (a label missing from `thresholds`: `fallback`).
    std::map<std::string, OperatingPoint> at(const std::map<std::string, double>& thresholds, double fallback) const;
    // One image's kept detections and truth boxes, judged; NotFound naming it when absent.
    std::vector<JudgedBox> judge(const std::string& image, const std::map<std::string, double>& thresholds,
                                 double fallback) const;
    static std::vector<JudgedBox> judge(const StoredImage& image, const std::map<std::string, double>& thresholds,
                                        double fallback);

    // evaluation.json's shape at these thresholds: "overall" (means over labels, as evaluate()
    // reports them), "labels" (each with its "assumed" point) and "images" (TP/FP/FN counts).
    Json summary_at(const std::map<std::string, double>& thresholds, double fallback) const;

    Json to_json() const;  // predictions.json
    static StoredPredictions from_json(const Json& j, const std::string& file);  // Error naming the field
};

// From an evaluation's cases (their scores already calibrated); matching as evaluate() does it.
StoredPredictions store_predictions(const std::vector<ImageCase>& images, const std::vector<std::string>& labels,
                                    double floor = StoredPredictions::kDefaultFloor, double iou_threshold = 0.5);

}  // namespace apiary::eval
