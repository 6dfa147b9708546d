#include "eval/matching.h"

#include <algorithm>

namespace apiary::eval {

LabelMatches match_label(const ImageCase& image, const std::string& label, double iou_threshold) {
    LabelMatches out;
    std::vector<const TruthBox*> truth;
    for (const auto& t : image.truth)
        if (t.label == label) truth.push_back(&t);
    out.truth_count = truth.size();

    std::vector<const Detection*> dets;
    for (const auto& d : image.detections)
        if (d.label == label) dets.push_back(&d);
    std::stable_sort(dets.begin(), dets.end(), [](auto* a, auto* b) { return a->score > b->score; });
    const auto index_of = [](const auto& all, const auto* element) { return static_cast<size_t>(element - all.data()); };

    std::vector<bool> taken(truth.size(), false);
    for (const Detection* d : dets) {
        double best = iou_threshold;
        int best_index = -1;
        for (size_t i = 0; i < truth.size(); ++i) {
            if (taken[i]) continue;
            const double o = iou(d->box, truth[i]->box);
            if (o >= best) {
                best = o;
                best_index = static_cast<int>(i);
            }
        }
        if (best_index >= 0) taken[static_cast<size_t>(best_index)] = true;
        out.detections.push_back({d->score, best_index >= 0, index_of(image.detections, d),
                                  best_index >= 0 ? static_cast<int>(index_of(image.truth, truth[size_t(best_index)])) : -1});
    }
    return out;
}

}  // namespace apiary::eval
