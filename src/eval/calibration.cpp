#include "eval/calibration.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace apiary::eval {
namespace {

double logit(double p) {
    const double q = std::clamp(p, 1e-6, 1 - 1e-6);
    return std::log(q / (1 - q));
}

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

}  // namespace

double PlattScaling::apply(double score) const { return sigmoid(a * logit(score) + b); }

PlattScaling fit_platt(const std::vector<ScoredOutcome>& outcomes, size_t min_samples) {
    size_t positives = 0;
    for (const auto& o : outcomes) positives += o.true_positive;
    const size_t negatives = outcomes.size() - positives;
    if (outcomes.size() < min_samples || positives == 0 || negatives == 0) return {};
    const double hi = (double(positives) + 1) / (double(positives) + 2), lo = 1 / (double(negatives) + 2);
    std::vector<double> x, t;
    for (const auto& o : outcomes) {
        x.push_back(logit(o.score));
        t.push_back(o.true_positive ? hi : lo);
    }
    // Newton's method on the log-loss of (a, b); a tiny ridge keeps the Hessian invertible when
    // the scores barely vary.
    double a = 1, b = 0;
    for (int iteration = 0; iteration < 100; ++iteration) {
        double ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
        for (size_t i = 0; i < x.size(); ++i) {
            const double p = sigmoid(a * x[i] + b), d = p - t[i], w = p * (1 - p);
            ga += d * x[i], gb += d;
            haa += w * x[i] * x[i], hab += w * x[i], hbb += w;
        }
        const double det = haa * hbb - hab * hab;
        if (!(std::abs(det) > 0)) break;
        const double da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det;
        a -= da, b -= db;
        if (std::abs(da) < 1e-10 && std::abs(db) < 1e-10) break;
    }
    // A falling map would reorder the label's detections; scores that carry no signal get the
    // flattest rising map instead: every detection at the label's overall precision.
    if (!(a > 1e-3) || !std::isfinite(b)) {
        a = 1e-3;
        b = logit(double(positives) / double(outcomes.size()));
    }
    return {a, b};
}

double ScoreCalibration::apply(const std::string& label, double score) const {
    const auto it = labels_.find(label);
    return it == labels_.end() ? score : it->second.apply(score);
}

Json ScoreCalibration::to_json() const {
    Json labels = Json::object();
    for (const auto& [label, s] : labels_) labels[label] = {{"a", s.a}, {"b", s.b}};
    return {{"method", "platt"}, {"labels", labels}};
}

ScoreCalibration ScoreCalibration::from_json(const Json& j, const std::string& file) {
    if (!j.is_object() || j.value("method", "") != "platt")
        throw Error(Location{file, 0, "calibration.method"}, "only \"platt\" calibration is known");
    if (!j.contains("labels") || !j["labels"].is_object())
        throw Error(Location{file, 0, "calibration.labels"}, "must be an object of label -> {a, b}");
    ScoreCalibration c;
    for (const auto& [label, v] : j["labels"].items()) {
        const std::string field = "calibration.labels." + label;
        if (!v.is_object() || !v.contains("a") || !v.contains("b") || !v["a"].is_number() || !v["b"].is_number())
            throw Error(Location{file, 0, field}, "must be {\"a\": number, \"b\": number}");
        const PlattScaling s{v["a"].get<double>(), v["b"].get<double>()};
        if (!(s.a > 0) || !std::isfinite(s.a) || !std::isfinite(s.b))
            throw Error(Location{file, 0, field}, "a must be positive and both finite");
        c.set(label, s);
    }
    return c;
}

Reliability reliability(const std::vector<ScoredOutcome>& outcomes, double floor, int bins) {
    Reliability r;
    r.floor = floor;
    const int n = std::max(1, bins);
    r.bins.resize(size_t(n));
    std::vector<double> confidence(size_t(n), 0), correct(size_t(n), 0);
    for (int k = 0; k < n; ++k) r.bins[size_t(k)].lower = double(k) / n, r.bins[size_t(k)].upper = double(k + 1) / n;
    for (const auto& o : outcomes) {
        if (o.score < floor) continue;
        const size_t k = std::min(size_t(n) - 1, static_cast<size_t>(std::clamp(o.score, 0.0, 1.0) * n));
        ++r.bins[k].detections;
        confidence[k] += o.score;
        correct[k] += o.true_positive;
        ++r.detections;
    }
    for (size_t k = 0; k < r.bins.size(); ++k) {
        auto& bin = r.bins[k];
        if (bin.detections == 0) continue;
        bin.mean_confidence = confidence[k] / double(bin.detections);
        bin.accuracy = correct[k] / double(bin.detections);
        r.ece += double(bin.detections) / double(r.detections) * std::abs(bin.accuracy - bin.mean_confidence);
    }
    return r;
}

Json Reliability::to_json() const {
    Json rows = Json::array();
    for (const auto& b : bins) rows.push_back({b.lower, b.upper, b.detections, b.mean_confidence, b.accuracy});
    return {{"ece", ece},
            {"floor", floor},
            {"detections", detections},
            {"bins", {{"columns", {"lower", "upper", "detections", "mean_confidence", "accuracy"}}, {"rows", rows}}}};
}

}  // namespace apiary::eval
