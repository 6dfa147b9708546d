#pragma once
// TensorFlow → libtorch weight layouts. TF keeps activations NHWC and filters with the spatial
// dimensions first; torch wants NCHW activations and output-channel-first filters.
#include <torch/torch.h>

namespace apiary::nn {

// Conv2D filter [kh, kw, in, out] → [out, in, kh, kw].
torch::Tensor tf_conv_filter_to_torch(const torch::Tensor& filter);

// DepthwiseConv2dNative filter [kh, kw, in, multiplier] → [in · multiplier, 1, kh, kw] for a
// torch convolution with groups = in. TF numbers output channels in-major (c · mult + m),
// which is what flattening [in, mult] gives.
torch::Tensor tf_depthwise_filter_to_torch(const torch::Tensor& filter);

}  // namespace apiary::nn
