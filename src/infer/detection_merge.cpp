#include "infer/detection_merge.h"

#include <algorithm>

#include "vision/tiles.h"

namespace apiary::infer {

std::vector<nn::Detection> suppress_overlaps(std::vector<nn::Detection> detections, double iou, size_t keep) {
    std::stable_sort(detections.begin(), detections.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    std::vector<nn::Detection> kept;
    for (const auto& d : detections) {
        if (keep && kept.size() >= keep) break;
        const bool duplicate = std::any_of(kept.begin(), kept.end(), [&](const nn::Detection& k) {
            return k.class_id == d.class_id && apiary::iou(k.box, d.box) >= iou;
        });
        if (!duplicate) kept.push_back(d);
    }
    return kept;
}

std::vector<nn::Detection> merge_tile_views(std::vector<nn::Detection> whole,
                                            const std::vector<std::vector<nn::Detection>>& per_tile,
                                            const std::vector<cv::Rect>& tiles, int width, int height, size_t keep) {
    for (size_t i = 0; i < tiles.size() && i < per_tile.size(); ++i)
        for (auto d : per_tile[i]) {
            d.box.left += tiles[i].x, d.box.top += tiles[i].y;
            if (!vision::touches_inner_edge(d.box, tiles[i], width, height)) whole.push_back(d);
        }
    return suppress_overlaps(std::move(whole), 0.5, keep);
}

}  // namespace apiary::infer
