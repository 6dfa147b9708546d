#include "nn/tf_layout.h"

namespace apiary::nn {

torch::Tensor tf_conv_filter_to_torch(const torch::Tensor& filter) {
    TORCH_CHECK(filter.dim() == 4, "conv filter must be 4-D [kh, kw, in, out], got ", filter.sizes());
    return filter.permute({3, 2, 0, 1}).contiguous();
}

torch::Tensor tf_depthwise_filter_to_torch(const torch::Tensor& filter) {
    TORCH_CHECK(filter.dim() == 4, "depthwise filter must be 4-D [kh, kw, in, mult], got ", filter.sizes());
    const int64_t kh = filter.size(0), kw = filter.size(1), in = filter.size(2), mult = filter.size(3);
    return filter.permute({2, 3, 0, 1}).reshape({in * mult, 1, kh, kw}).contiguous();
}

}  // namespace apiary::nn
