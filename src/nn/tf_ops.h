#pragma once
// The few TensorFlow operations whose exact semantics differ from libtorch's defaults and
// therefore must be spelled out to reproduce a TF-trained network bit for bit (up to float
// rounding). All work on NCHW tensors on any device and are differentiable.
#include <torch/torch.h>

#include <cstdint>

namespace apiary::nn {

// TF "SAME" padding along one axis: the output has ceil(in / stride) elements, and when the
// total padding is odd the extra element goes after (bottom/right), unlike torch's symmetric
// `padding`. With stride 2 and an even input this is the case for every kernel size.
struct SamePadding {
    int64_t before = 0;
    int64_t after = 0;
};
SamePadding tf_same_padding(int64_t in, int64_t kernel, int64_t stride);

// TF1 ResizeBilinear with align_corners = false and half_pixel_centers = false: output
// pixel d samples input position d * in / out (no half-pixel shift), with the upper
// neighbour clamped to the last row/column. torch's interpolate(align_corners=false) uses
// the half-pixel rule (d + 0.5) * in / out - 0.5 instead, which shifts the map by a quarter
// pixel at 2x and does not match the pretrained weights.
torch::Tensor resize_bilinear_tf_legacy(const torch::Tensor& x, int64_t out_h, int64_t out_w);

// x * relu6(x + 3) / 6, MobileNetV3's activation.
torch::Tensor hard_swish(const torch::Tensor& x);
// relu6(x + 3) / 6, MobileNetV3's squeeze-excite gate.
torch::Tensor hard_sigmoid(const torch::Tensor& x);

}  // namespace apiary::nn
