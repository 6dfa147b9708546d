#pragma once
// Precision/recall curves, average precision and the F1-optimal ("assumed") threshold of one
// label, from its matched detections pooled over all images.
#include <vector>

#include "eval/matching.h"

namespace apiary::eval {

struct PrPoint {
    double threshold;  // score of the last detection kept
    double precision;
    double recall;
};

struct OperatingPoint {
    double threshold = 1.0;  // keep detections with score >= threshold
    double precision = 0;
    double recall = 0;
    double f1 = 0;
    size_t true_positives = 0;
    size_t false_positives = 0;
    size_t false_negatives = 0;
};

// Precision, recall and F1 of keeping `kept` detections of which `true_positives` are right,
// against `truth` boxes. Nothing kept: precision 1 when there was nothing to find, else 0.
OperatingPoint operating_point(double threshold, size_t true_positives, size_t kept, size_t truth);

class PrCurve {
public:
    PrCurve(std::vector<MatchedDetection> detections, size_t truth_count);

    const std::vector<PrPoint>& points() const { return points_; }
    size_t truth_count() const { return truth_count_; }

    // Area under the curve with the precision envelope, at every recall step (VOC 2010+).
    double average_precision() const;
    // COCO's 101-point interpolated AP.
    double average_precision_101() const;
    // The threshold of highest F1 (ties: the higher threshold). No detections → threshold 1, F1 0.
    OperatingPoint best_f1() const;
    // Figures when keeping detections with score >= threshold.
    OperatingPoint at(double threshold) const;

private:
    std::vector<PrPoint> points_;  // one per detection, in falling score order
    std::vector<size_t> cumulative_tp_;
    size_t truth_count_;
};

}  // namespace apiary::eval
