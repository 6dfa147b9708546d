#pragma once
// Merging detections of overlapping views of one image (its tiles and the whole image): the
// same object found twice keeps its best-scored box.
#include <opencv2/core.hpp>

#include <vector>

#include "nn/centernet_decode.h"

namespace apiary::infer {

// Greedy per-label suppression, best first: a detection overlapping an already kept one of its
// label at IoU >= `iou` is dropped. At most `keep` are returned (0: all), best first.
std::vector<nn::Detection> suppress_overlaps(std::vector<nn::Detection> detections, double iou, size_t keep);

// The whole image's detections with each tile's (`per_tile[i]` in the pixels of `tiles[i]`)
// moved into image pixels. A tile's box touching one of its edges inside the image may be a cut
// object, which the overlapping neighbour sees whole: it is left out. Then suppress_overlaps at
// IoU 0.5, at most `keep`.
std::vector<nn::Detection> merge_tile_views(std::vector<nn::Detection> whole,
                                            const std::vector<std::vector<nn::Detection>>& per_tile,
                                            const std::vector<cv::Rect>& tiles, int width, int height, size_t keep);

}  // namespace apiary::infer
