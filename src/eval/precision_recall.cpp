#include "eval/precision_recall.h"

#include <algorithm>

namespace apiary::eval {
OperatingPoint operating_point(double threshold, size_t tp, size_t kept, size_t truth) {
    OperatingPoint p;
    p.threshold = threshold;
    p.true_positives = tp;
    p.false_positives = kept - tp;
    p.false_negatives = truth - tp;
    p.precision = kept ? double(tp) / double(kept) : (truth == 0 ? 1.0 : 0.0);
    p.recall = truth ? double(tp) / double(truth) : 1.0;
    p.f1 = (p.precision + p.recall) > 0 ? 2 * p.precision * p.recall / (p.precision + p.recall) : 0.0;
    return p;
}

PrCurve::PrCurve(std::vector<MatchedDetection> detections, size_t truth_count) : truth_count_(truth_count) {
    std::stable_sort(detections.begin(), detections.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    size_t tp = 0;
    for (size_t i = 0; i < detections.size(); ++i) {
        tp += detections[i].true_positive;
        cumulative_tp_.push_back(tp);
        points_.push_back({detections[i].score, double(tp) / double(i + 1),
                           truth_count ? double(tp) / double(truth_count) : 0.0});
    }
}

double PrCurve::average_precision() const {
    if (truth_count_ == 0 || points_.empty()) return 0.0;
    // Precision envelope: the best precision at any recall at least this high.
    std::vector<double> envelope(points_.size());
    double best = 0;
    for (size_t i = points_.size(); i-- > 0;) envelope[i] = best = std::max(best, points_[i].precision);
    double ap = 0, previous_recall = 0;
    for (size_t i = 0; i < points_.size(); ++i) {
        ap += (points_[i].recall - previous_recall) * envelope[i];
        previous_recall = points_[i].recall;
    }
    return ap;
}

double PrCurve::average_precision_101() const {
    if (truth_count_ == 0 || points_.empty()) return 0.0;
    double sum = 0;
    for (int k = 0; k <= 100; ++k) {
        const double r = k / 100.0;
        double p = 0;
        for (const auto& pt : points_)
            if (pt.recall >= r - 1e-12) p = std::max(p, pt.precision);
        sum += p;
    }
    return sum / 101.0;
}

OperatingPoint PrCurve::best_f1() const {
    OperatingPoint best = operating_point(1.0, 0, 0, truth_count_);
    best.f1 = 0;
    for (size_t i = 0; i < points_.size(); ++i) {
        // Equal scores cannot be separated by a threshold: judge only the last of a run.
        if (i + 1 < points_.size() && points_[i + 1].threshold == points_[i].threshold) continue;
        const auto p = operating_point(points_[i].threshold, cumulative_tp_[i], i + 1, truth_count_);
        if (p.f1 > best.f1) best = p;
    }
    return best;
}

OperatingPoint PrCurve::at(double threshold) const {
    size_t kept = 0;
    while (kept < points_.size() && points_[kept].threshold >= threshold) ++kept;
    return operating_point(threshold, kept ? cumulative_tp_[kept - 1] : 0, kept, truth_count_);
}

}  // namespace apiary::eval
