#pragma once
// Confidence that means what it says: the network's peak score mapped, per label, to the
// probability that the detection is a true positive at IoU ≥ 0.5. Platt scaling on the score's
// logit, p = sigmoid(a·logit(s) + b), with a > 0 so the order of a label's detections (and so
// its AP and PR curve) is unchanged. Two parameters fit stably on the few hundred validation
// detections a small dataset gives; isotonic regression would follow their noise.
// Plus the measure of how well it worked: the expected calibration error and its reliability
// table, as evaluation.json reports them.
#include <map>
#include <string>
#include <vector>

#include "core/json.h"

namespace apiary::eval {

struct ScoredOutcome {
    double score = 0;  // 0..1
    bool true_positive = false;
};

struct PlattScaling {
    double a = 1, b = 0;  // identity
    double apply(double score) const;
};

// Maximum-likelihood fit (Newton's method) with Platt's smoothed targets, which keep a label
// whose validation detections are all right (or all wrong) from mapping to exactly 1 (or 0).
// Fewer than `min_samples` outcomes, or no positive or no negative among them: the identity,
// since there is nothing to fit against.
PlattScaling fit_platt(const std::vector<ScoredOutcome>& outcomes, size_t min_samples = 8);

class ScoreCalibration {
public:
    ScoreCalibration() = default;  // every label: identity
    void set(const std::string& label, PlattScaling scaling) { labels_[label] = scaling; }
    double apply(const std::string& label, double score) const;  // unknown labels: unchanged
    bool empty() const { return labels_.empty(); }

    // {"method":"platt","labels":{"bee":{"a":..,"b":..}}}
    Json to_json() const;
    static ScoreCalibration from_json(const Json& j, const std::string& file);  // Error naming the field

private:
    std::map<std::string, PlattScaling> labels_;
};

struct ReliabilityBin {
    double lower = 0, upper = 0;  // confidence range, 0..1
    size_t detections = 0;
    double mean_confidence = 0;   // 0 when empty
    double accuracy = 0;          // fraction true positive; 0 when empty
};

struct Reliability {
    double floor = 0.1;  // detections below this confidence are not counted
    size_t detections = 0;
    double ece = 0;      // Σ bins (n_b / n) · |accuracy_b − confidence_b|
    std::vector<ReliabilityBin> bins;
    Json to_json() const;
};

// `bins` equal-width bins over [0, 1] (the usual 10 of width 0.1), counting only detections of
// confidence ≥ floor: with the default floor the first bin stays empty.
Reliability reliability(const std::vector<ScoredOutcome>& outcomes, double floor = 0.1, int bins = 10);

}  // namespace apiary::eval
