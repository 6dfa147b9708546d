#include "nn/centernet_decode.h"

#include <algorithm>

namespace apiary::nn {
namespace F = torch::nn::functional;

torch::Tensor heatmap_peaks(const torch::Tensor& heat) {
    // Padding with -inf (what max_pool2d does) matches TF's MaxPool SAME at the borders.
    const torch::Tensor pooled = F::max_pool2d(heat, F::MaxPool2dFuncOptions(3).stride(1).padding(1));
    return heat * (heat == pooled).to(heat.scalar_type());
}

std::vector<std::vector<Detection>> decode_centernet(const CenterNetOutput& output,
                                                     const std::vector<ImageTransform>& transforms,
                                                     const DecodeOptions& options) {
    torch::NoGradGuard no_grad;
    const torch::Tensor& logits = output.heatmap;
    TORCH_CHECK(logits.dim() == 4 && output.boxes.dim() == 4 && output.boxes.size(1) == 4,
                "decode_centernet: expected heatmap [N, C, h, w] and boxes [N, 4, h, w]");
    const int64_t n = logits.size(0), c = logits.size(1), h = logits.size(2), w = logits.size(3);
    TORCH_CHECK(output.boxes.size(0) == n && output.boxes.size(2) == h && output.boxes.size(3) == w,
                "decode_centernet: heatmap and boxes differ in size");
    TORCH_CHECK(static_cast<int64_t>(transforms.size()) == n, "decode_centernet: need one transform per image");

    const torch::Tensor peaks = heatmap_peaks(torch::sigmoid(logits.to(torch::kFloat32))).reshape({n, c * h * w});
    const int64_t k = std::min(options.top_k, c * h * w);
    auto [scores, indices] = peaks.topk(k, /*dim=*/1);  // sorted, best first
    const torch::Tensor cells = indices.remainder(h * w);
    // [N, 4, k]: the box distances at each peak's cell.
    const torch::Tensor dists = output.boxes.to(torch::kFloat32).reshape({n, 4, h * w})
                                    .gather(2, cells.unsqueeze(1).expand({n, 4, k}));

    // Small tensors from here on: finish on the CPU.
    const torch::Tensor s = scores.cpu().contiguous();
    const torch::Tensor idx = indices.cpu().contiguous();
    const torch::Tensor d = dists.cpu().contiguous();
    const auto sa = s.accessor<float, 2>();
    const auto ia = idx.accessor<int64_t, 2>();
    const auto da = d.accessor<float, 3>();

    std::vector<std::vector<Detection>> out(static_cast<size_t>(n));
    for (int64_t b = 0; b < n; ++b) {
        const ImageTransform& t = transforms[static_cast<size_t>(b)];
        for (int64_t j = 0; j < k; ++j) {
            const float score = sa[b][j];
            if (score <= 0.0f || score < options.min_score) break;  // sorted: the rest are lower
            const int64_t index = ia[b][j];
            const int64_t cell = index % (h * w);
            const double px = static_cast<double>(cell % w) * options.stride;
            const double py = static_cast<double>(cell / w) * options.stride;
            Box box = Box::from_corners(px - da[b][0][j], py - da[b][1][j], px + da[b][2][j], py + da[b][3][j]);
            box = t.to_original(box);
            if (options.clip) {
                const double x0 = std::clamp(box.left, 0.0, static_cast<double>(t.original_width));
                const double y0 = std::clamp(box.top, 0.0, static_cast<double>(t.original_height));
                const double x1 = std::clamp(box.right(), 0.0, static_cast<double>(t.original_width));
                const double y1 = std::clamp(box.bottom(), 0.0, static_cast<double>(t.original_height));
                box = Box::from_corners(x0, y0, x1, y1);
            }
            out[static_cast<size_t>(b)].push_back({index / (h * w), score, box});
        }
    }
    return out;
}

std::vector<Detection> decode_centernet(const CenterNetOutput& output, const ImageTransform& transform,
                                        const DecodeOptions& options) {
    return decode_centernet(output, std::vector<ImageTransform>{transform}, options).front();
}

}  // namespace apiary::nn
