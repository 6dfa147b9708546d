#pragma once
// Turning CenterNet's dense outputs into boxes. A detection is a heatmap peak: a cell whose
// class probability equals the maximum of its 3×3 neighbourhood (this replaces NMS), ranked
// by probability; its box is read from the box head at the same cell.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/geometry.h"
#include "nn/centernet.h"
#include "nn/centernet_input.h"

namespace apiary::nn {

struct Detection {
    int64_t class_id = 0;
    float score = 0;  // sigmoid of the heatmap logit
    Box box;          // original-image pixels
};

struct DecodeOptions {
    int64_t top_k = 100;     // peaks kept per image, before min_score
    float min_score = 0.0f;  // drop peaks below this probability
    int64_t stride = CenterNetImpl::kStride;
    bool clip = true;        // clip boxes to the original image
};

// Peaks of class probabilities `heat` [N, C, h, w] (already sigmoid): cells equal to their
// 3×3 max-pool, others set to 0.
torch::Tensor heatmap_peaks(const torch::Tensor& heat);

// One vector per image, best first; `transforms` has one entry per image.
std::vector<std::vector<Detection>> decode_centernet(const CenterNetOutput& output,
                                                     const std::vector<ImageTransform>& transforms,
                                                     const DecodeOptions& options = {});

// Single-image convenience (output batch size 1).
std::vector<Detection> decode_centernet(const CenterNetOutput& output, const ImageTransform& transform,
                                        const DecodeOptions& options = {});

}  // namespace apiary::nn
