#include "eval/classification.h"

#include <algorithm>
#include <set>

namespace apiary::eval {

ImageCase classification_case(const std::string& image, double width, double height,
                              const std::vector<std::string>& truth, const std::vector<double>& scores,
                              const std::vector<std::string>& labels) {
    const Box whole{0, 0, std::max(width, 1.0), std::max(height, 1.0)};
    ImageCase c;
    c.image = image;
    for (const auto& t : truth) c.truth.push_back({t, whole});
    for (size_t i = 0; i < labels.size() && i < scores.size(); ++i) c.detections.push_back({labels[i], whole, scores[i]});
    return c;
}

namespace {

size_t index_of(const std::vector<std::string>& labels, const std::string& l) {
    return size_t(std::find(labels.begin(), labels.end(), l) - labels.begin());
}

}  // namespace

ClassificationMetrics classification_metrics(const std::vector<ImageCase>& cases, const std::vector<std::string>& labels,
                                             bool multi_label, const Evaluation& evaluation) {
    ClassificationMetrics m;
    m.multi_label = multi_label;
    m.labels = labels;
    m.images = cases.size();
    for (const auto& l : evaluation.labels) m.macro_f1 += l.assumed.f1;
    if (!evaluation.labels.empty()) m.macro_f1 /= double(evaluation.labels.size());
    if (!multi_label) m.confusion.assign(labels.size(), std::vector<size_t>(labels.size(), 0));
    const auto thresholds = evaluation.thresholds();
    size_t right = 0;
    for (const auto& c : cases) {
        if (multi_label) {
            std::set<std::string> truth, kept;
            for (const auto& t : c.truth) truth.insert(t.label);
            for (const auto& d : c.detections) {
                const auto it = thresholds.find(d.label);
                if (it != thresholds.end() && d.score >= it->second) kept.insert(d.label);
            }
            right += truth == kept;
            continue;
        }
        if (c.truth.empty() || c.detections.empty()) continue;
        const auto best = std::max_element(c.detections.begin(), c.detections.end(),
                                           [](const auto& a, const auto& b) { return a.score < b.score; });
        const size_t t = index_of(labels, c.truth.front().label), p = index_of(labels, best->label);
        if (t < labels.size() && p < labels.size()) ++m.confusion[t][p];
        right += t == p;
    }
    m.accuracy = cases.empty() ? 0 : double(right) / double(cases.size());
    return m;
}

Json ClassificationMetrics::to_json() const {
    Json j = {{"task", multi_label ? "multi-label-classification" : "classification"},
              {"images", images},
              {"accuracy", accuracy},
              {"macro_f1", macro_f1}};
    if (!multi_label) j["confusion_matrix"] = {{"labels", labels}, {"rows", confusion}};
    return j;
}

Json ClassificationMetrics::reference_confusion_matrix() const {
    Json out = Json::array();
    for (size_t t = 0; t < confusion.size(); ++t) {
        size_t row = 0;
        for (size_t n : confusion[t]) row += n;
        for (size_t p = 0; p < confusion[t].size(); ++p)
            out.push_back({{"GroundTruthLabel", labels[t]},
                           {"PredictedLabel", labels[p]},
                           {"Value", row ? double(confusion[t][p]) / double(row) : 0.0}});
    }
    return out;
}

}  // namespace apiary::eval
