#pragma once
// The two prediction heads on the neck's stride-4 features, each a separable 3×3 conv
// (depthwise 3×3 without bias, then 1×1 with bias):
//   heatmap: one logit per class and cell; sigmoid(logit) is the probability that an object
//            of that class is centred on the cell.
//   boxes:   4 distances (left, top, right, bottom) in input pixels from the cell's point
//            (x·4, y·4) to the box edges; the TF graph multiplies the 1×1 output by 16.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "nn/layers.h"

namespace apiary::nn {

class HeatmapHeadImpl : public torch::nn::Module {
public:
    HeatmapHeadImpl(int64_t in, int64_t num_classes);
    torch::Tensor forward(const torch::Tensor& features);  // logits [N, classes, h, w]

    int64_t num_classes() const { return classifier->spec().out; }

    // Swaps the 1×1 classifier for a fresh one with `num_classes` outputs (on the same device),
    // keeping the pretrained depthwise 3×3. Weights ~ N(0, 0.01), bias = -log((1 - p) / p) for
    // prior p = 0.01 (≈ -4.6), so training starts from "nothing anywhere" as focal loss expects.
    // With `start_from`, new class i whose entry is a valid old class starts as an exact copy of
    // that class's weights and bias instead (a pretrained detector of a look-alike object).
    void reset_classes(int64_t num_classes, const std::vector<int64_t>& start_from = {});

    static constexpr double kPriorBias = -4.59512;  // -log(99)

    ConvUnit depthwise{nullptr};   // hidden layer, kept across reset_classes
    ConvUnit classifier{nullptr};
};
TORCH_MODULE(HeatmapHead);

class BoxHeadImpl : public torch::nn::Module {
public:
    explicit BoxHeadImpl(int64_t in, double scale = 16.0);
    torch::Tensor forward(const torch::Tensor& features);  // [N, 4, h, w], input pixels

    ConvUnit depthwise{nullptr};
    ConvUnit regressor{nullptr};
    torch::Tensor scale;  // buffer "scale" (scalar), the graph's output multiplier
};
TORCH_MODULE(BoxHead);

}  // namespace apiary::nn
