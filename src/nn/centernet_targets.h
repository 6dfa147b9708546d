#pragma once
// Training targets for CenterNet (TTFNet-style): for each object a Gaussian bump on its class
// heatmap, centred on the box centre, and the box's distances (left, top, right, bottom) from
// every cell inside the Gaussian, weighted so that small and large objects count alike.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/geometry.h"

namespace apiary::nn {

struct TargetBatch {
    torch::Tensor heatmap;     // [N, C, h, w] in 0..1, exactly 1 at each object's centre cell
    torch::Tensor boxes;       // [N, 4, h, w] target distances l, t, r, b in input pixels
    torch::Tensor box_weight;  // [N, 1, h, w] >= 0; 0 where no box distance is learnt
};

struct TargetOptions {
    int64_t stride = 4;
    double gaussian_alpha = 0.54;  // Gaussian radius as a share of half the box size (TTFNet)
};

// `boxes[i]` / `labels[i]`: the objects of image i in input pixels, label indices < num_classes.
// Built on the CPU; move to the model's device with .to().
TargetBatch encode_targets(const std::vector<std::vector<Box>>& boxes, const std::vector<std::vector<int64_t>>& labels,
                           int64_t num_classes, int64_t input_height, int64_t input_width,
                           const TargetOptions& options = {});

}  // namespace apiary::nn
