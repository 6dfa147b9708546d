#include "eval/evaluation.h"

#include <algorithm>

#include "eval/matching.h"

namespace apiary::eval {
namespace {

PrCurve pooled_curve(const std::vector<ImageCase>& images, const std::string& label, double iou) {
    std::vector<MatchedDetection> all;
    size_t truth = 0;
    for (const auto& img : images) {
        auto m = match_label(img, label, iou);
        truth += m.truth_count;
        all.insert(all.end(), m.detections.begin(), m.detections.end());
    }
    return PrCurve(std::move(all), truth);
}

std::vector<ScoredOutcome> outcomes_of(const std::vector<ImageCase>& images, const std::string& label, double iou) {
    std::vector<ScoredOutcome> out;
    for (const auto& img : images)
        for (const auto& d : match_label(img, label, iou).detections) out.push_back({d.score, d.true_positive});
    return out;
}

// At most ~2 points per percent of recall: where each percent is first reached, and the point
// just before it (the foot of the precision drop a run of false positives makes). Thinning by
// index instead drops whole stretches of the curve where detections are dense.
std::vector<PrPoint> thin(const std::vector<PrPoint>& points) {
    if (points.size() <= 202) return points;
    std::vector<size_t> kept;
    int percent = -1;
    for (size_t i = 0; i < points.size(); ++i) {
        const int p = static_cast<int>(points[i].recall * 100);
        if (p <= percent) continue;
        if (i > 0 && (kept.empty() || kept.back() != i - 1)) kept.push_back(i - 1);
        kept.push_back(i);
        percent = p;
    }
    if (kept.back() != points.size() - 1) kept.push_back(points.size() - 1);
    std::vector<PrPoint> out;
    for (size_t i : kept) out.push_back(points[i]);
    return out;
}

Json point_json(const OperatingPoint& p) {
    return {{"threshold", p.threshold},
            {"precision", p.precision},
            {"recall", p.recall},
            {"f1", p.f1},
            {"true_positives", p.true_positives},
            {"false_positives", p.false_positives},
            {"false_negatives", p.false_negatives}};
}

}  // namespace

Evaluation evaluate(const std::vector<ImageCase>& images, const std::vector<std::string>& labels,
                    const EvaluationOptions& options) {
    Evaluation ev;
    std::vector<ScoredOutcome> all_outcomes;
    for (const auto& label : labels) {
        LabelMetrics m;
        m.label = label;
        const PrCurve curve = pooled_curve(images, label, options.iou_threshold);
        m.truth_boxes = curve.truth_count();
        for (const auto& img : images)
            m.test_images += std::any_of(img.truth.begin(), img.truth.end(), [&](auto& t) { return t.label == label; });
        const auto fixed = options.thresholds.find(label);
        m.assumed = fixed != options.thresholds.end() ? curve.at(fixed->second) : curve.best_f1();
        m.ap50 = curve.average_precision();
        double sum = 0;
        for (int k = 0; k < 10; ++k) sum += pooled_curve(images, label, 0.5 + 0.05 * k).average_precision_101();
        m.map50_95 = sum / 10;
        m.curve = thin(curve.points());
        const auto outcomes = outcomes_of(images, label, options.iou_threshold);
        m.reliability = reliability(outcomes);
        all_outcomes.insert(all_outcomes.end(), outcomes.begin(), outcomes.end());
        ev.labels.push_back(std::move(m));
    }
    ev.reliability = reliability(all_outcomes);
    for (const auto& m : ev.labels) {
        const double n = double(ev.labels.size());
        ev.f1 += m.assumed.f1 / n;
        ev.precision += m.assumed.precision / n;
        ev.recall += m.assumed.recall / n;
        ev.ap50 += m.ap50 / n;
        ev.map50_95 += m.map50_95 / n;
    }
    // Greedy matching decides each detection from higher-scored ones only, so the flags of the
    // detections above a threshold are those of matching the kept detections alone.
    const auto thresholds = ev.thresholds();
    for (const auto& img : images) {
        ImageMetrics im;
        im.image = img.image;
        for (const auto& label : labels) {
            const auto m = match_label(img, label, options.iou_threshold);
            const double t = thresholds.at(label);
            size_t tp = 0;
            for (const auto& d : m.detections) {
                if (d.score < t) break;
                d.true_positive ? ++tp : ++im.false_positives;
            }
            im.true_positives += tp;
            im.false_negatives += m.truth_count - tp;
        }
        ev.images.push_back(im);
    }
    return ev;
}

std::map<std::string, double> Evaluation::thresholds() const {
    std::map<std::string, double> out;
    for (const auto& m : labels) out[m.label] = m.assumed.threshold;
    return out;
}

Json Evaluation::to_json() const {
    Json per_label = Json::array();
    for (const auto& m : labels) {
        Json curve = Json::array();
        for (const auto& p : m.curve) curve.push_back({p.threshold, p.precision, p.recall});
        per_label.push_back({{"label", m.label},
                             {"truth_boxes", m.truth_boxes},
                             {"test_images", m.test_images},
                             {"assumed", point_json(m.assumed)},
                             {"ap50", m.ap50},
                             {"map50_95", m.map50_95},
                             {"ece", m.reliability.ece},
                             {"pr_curve", {{"columns", {"threshold", "precision", "recall"}}, {"points", curve}}}});
    }
    Json per_image = Json::array();
    for (const auto& im : images)
        per_image.push_back({{"image", im.image},
                             {"true_positives", im.true_positives},
                             {"false_positives", im.false_positives},
                             {"false_negatives", im.false_negatives}});
    return {{"overall",
             {{"f1", f1}, {"precision", precision}, {"recall", recall}, {"ap50", ap50}, {"map50_95", map50_95},
              {"ece", reliability.ece}}},
            {"reliability", reliability.to_json()},
            {"labels", per_label},
            {"images", per_image}};
}

}  // namespace apiary::eval
