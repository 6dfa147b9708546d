#pragma once
// The backbone of the pretrained CenterNet (github.com/610265158/mobilenetv3_centernet):
// MobileNetV3-Large at width multiplier 0.75 (standard kernels, strides, activations and
// squeeze-excite placement; every width × 0.75 rounded to a multiple of 8), without the
// classifier, ending in a 1×1 convolution to 480 channels that the TF graph calls "extern1".
// The layout was read from the graph of centernet.json; import_centernet checks every block
// against the graph's shapes, strides and activations.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "nn/layers.h"

namespace apiary::nn {

struct InvertedResidualSpec {
    int64_t in = 0;
    int64_t expanded = 0;  // 0: no 1×1 expansion (the first block works on the stem's output)
    int64_t out = 0;
    int64_t kernel = 3;
    int64_t stride = 1;
    int64_t se = 0;        // squeeze-excite bottleneck width, 0 = no squeeze-excite
    Activation act = Activation::Relu;

    bool residual() const { return stride == 1 && in == out; }
    int64_t hidden() const { return expanded > 0 ? expanded : in; }
};

// expand 1×1 (act) → depthwise k×k, stride (act) → squeeze-excite → project 1×1 (linear),
// plus the input when the shapes allow.
class InvertedResidualImpl : public torch::nn::Module {
public:
    explicit InvertedResidualImpl(const InvertedResidualSpec& spec);

    torch::Tensor forward(const torch::Tensor& x);
    // Also returns the expansion's output (before the depthwise conv), which the CenterNet
    // neck taps as its high-resolution features.
    std::pair<torch::Tensor, torch::Tensor> forward_with_expansion(const torch::Tensor& x);

    const InvertedResidualSpec& spec() const { return spec_; }

    ConvUnit expand{nullptr};  // null when spec().expanded == 0
    ConvUnit depthwise{nullptr};
    SqueezeExcite se{nullptr};  // null when spec().se == 0
    ConvUnit project{nullptr};

private:
    InvertedResidualSpec spec_;
};
TORCH_MODULE(InvertedResidual);

// The feature maps the neck consumes (strides relative to the input).
struct BackboneFeatures {
    torch::Tensor c2;  // stride 4:  block 3's expansion, 72 channels
    torch::Tensor c3;  // stride 8:  block 5's expansion, 96 channels
    torch::Tensor c4;  // stride 16: block 11's output, 88 channels
    torch::Tensor c5;  // stride 32: the last 1×1 convolution, 480 channels
};

// The 15 blocks of the pretrained backbone, in order.
const std::vector<InvertedResidualSpec>& mobilenet_v3_centernet_blocks();

class MobileNetV3Impl : public torch::nn::Module {
public:
    MobileNetV3Impl();
    BackboneFeatures forward(const torch::Tensor& images);  // NCHW float RGB 0–255

    static constexpr int64_t kC2Block = 3, kC3Block = 5, kC4Block = 11;
    static constexpr int64_t kC2Channels = 72, kC3Channels = 96, kC4Channels = 88, kC5Channels = 480;

    ConvUnit stem{nullptr};                 // 3×3 stride 2, 3 → 16, hard-swish
    std::vector<InvertedResidual> blocks;   // registered as "block0".."block14"
    ConvUnit last{nullptr};                 // 1×1, 120 → 480, hard-swish ("extern1" in TF)
};
TORCH_MODULE(MobileNetV3);

}  // namespace apiary::nn
