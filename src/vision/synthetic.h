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
    std::string label;  // an insect (striped ellipse) or a flower (petals round a disc); see synthesize_scene
    Box box;            // pixels, tight around the drawn shape
};

struct SyntheticScene {
    cv::Mat image;  // BGR, 8-bit
    std::vector<SyntheticObject> objects;
};

// A textured meadow-like background with 1..max_objects non-overlapping objects whose labels
// are drawn from `labels`: the insects "bee" (yellow, 3 stripes), "wasp" (yellower, slimmer, 5
// thin stripes), "hoverfly" (orange, 2 stripes) and the flowers "flower" (6 pink petals),
// "daisy" (8 white), "buttercup" (5 yellow) — look-alike pairs for detectors to tell apart. An
// unknown label is an Error. Same arguments → same scene.
SyntheticScene synthesize_scene(int width, int height, uint64_t seed, const std::vector<std::string>& labels,
                                int max_objects = 3);

}  // namespace apiary::vision
