#pragma once
// Generated scenes with known objects: the self-contained demo dataset and the tests' training
// data, so nothing depends on downloaded images.
#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace apiary::vision {

struct SyntheticObject {
    std::string label;  // "bee" (striped ellipse) or "flower" (petals round a disc)
    Box box;            // pixels, tight around the drawn shape
};

struct SyntheticScene {
    cv::Mat image;  // BGR, 8-bit
    std::vector<SyntheticObject> objects;
};

// A textured meadow-like background with 1..max_objects non-overlapping objects whose labels
// are drawn from `labels` (each "bee" or "flower"). Same arguments → same scene.
SyntheticScene synthesize_scene(int width, int height, uint64_t seed, const std::vector<std::string>& labels,
                                int max_objects = 3);

}  // namespace apiary::vision
