#include "nn/tf_ops.h"

#include <algorithm>
#include <vector>

namespace apiary::nn {

SamePadding tf_same_padding(int64_t in, int64_t kernel, int64_t stride) {
    const int64_t out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((out - 1) * stride + kernel - in, 0);
    return {total / 2, total - total / 2};
}

namespace {

// Interpolates `x` along `dim` from its size to `out` samples with the legacy TF rule.
torch::Tensor resize_axis(const torch::Tensor& x, int64_t dim, int64_t out) {
    const int64_t in = x.size(dim);
    if (in == out) return x;
    // TF computes the scale and source positions in float32; do the same so that the
    // fractional weights (multiples of 1/2 for a 2x upsample) come out identical.
    const float scale = static_cast<float>(in) / static_cast<float>(out);
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(x.device());
    const torch::Tensor src = torch::arange(out, opts) * scale;
    const torch::Tensor lower = src.floor();
    const torch::Tensor frac = (src - lower).to(x.dtype());
    const torch::Tensor i0 = lower.to(torch::kLong).clamp_max(in - 1);
    const torch::Tensor i1 = (i0 + 1).clamp_max(in - 1);

    std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
    shape[static_cast<size_t>(dim)] = out;
    const torch::Tensor w = frac.view(shape);
    const torch::Tensor a = x.index_select(dim, i0);
    const torch::Tensor b = x.index_select(dim, i1);
    return a + (b - a) * w;  // TF's lerp form: top + (bottom - top) * y_lerp
}

// The exact-2x case of resize_axis on an [N, H, W, C]-ordered view, for the neck's
// upsampling: even outputs copy input d/2, odd ones are halfway to the next (clamped) input.
// Interleaving with stack + view keeps the memory order, where index_select plus a layout
// conversion cost 5 ms per inference pass at 512 px.
torch::Tensor upsample_axis_2x(const torch::Tensor& x, int64_t dim) {
    const int64_t in = x.size(dim);
    const torch::Tensor next = torch::cat({x.narrow(dim, 1, in - 1), x.narrow(dim, in - 1, 1)}, dim);
    const torch::Tensor halfway = torch::add(x, next - x, 0.5);  // TF's lerp form, as resize_axis
    std::vector<int64_t> shape = x.sizes().vec();
    shape[static_cast<size_t>(dim)] *= 2;
    return torch::stack({x, halfway}, dim + 1).view(shape);
}

}  // namespace

torch::Tensor resize_bilinear_tf_legacy(const torch::Tensor& x, int64_t out_h, int64_t out_w) {
    TORCH_CHECK(x.dim() == 4, "resize_bilinear_tf_legacy expects NCHW, got ", x.sizes());
    if (out_h == 2 * x.size(2) && out_w == 2 * x.size(3) && x.size(2) > 1 && x.size(3) > 1) {
        const torch::Tensor nhwc = x.permute({0, 2, 3, 1});  // contiguous when x is channels-last
        return upsample_axis_2x(upsample_axis_2x(nhwc, 1), 2).permute({0, 3, 1, 2}).contiguous(x.suggest_memory_format());
    }
    // Bilinear interpolation is separable: rows then columns gives the same weights as TF's
    // four-neighbour formula.
    // index_select returns a contiguous (NCHW) tensor: give the result the input's layout.
    return resize_axis(resize_axis(x, 2, out_h), 3, out_w).contiguous(x.suggest_memory_format());
}

// at::hardswish / at::hardsigmoid compute exactly these formulas in one fused kernel (and
// are available in libtorch 1.13 and 2.x alike).
torch::Tensor hard_swish(const torch::Tensor& x) { return at::hardswish(x); }
torch::Tensor hard_sigmoid(const torch::Tensor& x) { return at::hardsigmoid(x); }

}  // namespace apiary::nn
