#pragma once
// Generated dense scenes: frames of honeycomb holding hundreds of small bees, written as a
// Ground Truth manifest like the demo dataset, to prove import, training and detection on
// images far over the reference service's 50 boxes.
#include <cstdint>
#include <filesystem>

#include "data/demo_dataset.h"
#include "vision/synthetic.h"

namespace apiary::data {

struct DenseSceneOptions {
    int width = 640;
    int height = 640;
    int min_objects = 200;
    int max_objects = 260;
    int min_size = 20;  // an object's long side, pixels
    int max_size = 30;
};

// Large frames of a few bees under 3% of the image side: objects a whole-image input at 640 px
// shows at ~10 px, the case tiles are for (vision/tiles.h).
inline DenseSceneOptions small_object_scenes() { return {1600, 1200, 15, 40, 24, 36}; }

// Bees on a jittered grid, one per cell, so they never overlap and the count is exact.
// Throws Error when the frame cannot hold min_objects of max_size. Same arguments → same scene.
vision::SyntheticScene synthesize_dense_scene(uint64_t seed, const DenseSceneOptions& options = {});

// <dir>/images/00001.jpg ... and <dir>/output.manifest; source-refs under
// s3://apiary-demo/dense/seed-<seed>/images, so sets of different seeds import side by side.
DemoDataset write_dense_dataset(const std::filesystem::path& dir, size_t count, uint64_t seed = 1,
                                const DenseSceneOptions& options = {});

}  // namespace apiary::data
