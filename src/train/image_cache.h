#pragma once
// Training images decoded once and kept in memory, shrunk to what the input size can use, so
// epochs after the first cost no decoding.
#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "core/geometry.h"
#include "data/entry.h"

namespace apiary::train {

struct CachedImage {
    std::string source_ref;
    cv::Mat image;                // BGR, longer side at most ~1.25 x what one tile (or the whole image) needs
    std::vector<Box> boxes;       // in the cached image's pixels
    std::vector<int> labels;      // indices into the label list
    double scale = 1;             // cached pixels per original pixel
};

// Labels not in `labels` are ignored. Throws Error naming the image if one cannot be decoded.
// With tiles (tile_fraction > 0) an image keeps the resolution its tiles show at the input size.
std::vector<CachedImage> cache_images(const std::vector<data::Entry>& entries, const std::vector<std::string>& labels,
                                      int input_size, double tile_fraction = 0);

}  // namespace apiary::train
