#include "nn/centernet_input.h"

#include <algorithm>
#include <cmath>

#include "nn/centernet.h"

namespace apiary::nn {

ImageTransform ImageTransform::stretch(int ow, int oh, int nw, int nh) {
    TORCH_CHECK(ow > 0 && oh > 0 && nw > 0 && nh > 0, "ImageTransform: sizes must be positive");
    return {ow, oh, 0, 0, nw, nh};
}

ImageTransform ImageTransform::letterbox(int ow, int oh, int nw, int nh) {
    TORCH_CHECK(ow > 0 && oh > 0 && nw > 0 && nh > 0, "ImageTransform: sizes must be positive");
    const double scale = std::min(static_cast<double>(nw) / ow, static_cast<double>(nh) / oh);
    const int cw = std::clamp(static_cast<int>(std::lround(ow * scale)), 1, nw);
    const int ch = std::clamp(static_cast<int>(std::lround(oh * scale)), 1, nh);
    return {ow, oh, (nw - cw) / 2, (nh - ch) / 2, cw, ch};
}

Box ImageTransform::to_original(const Box& b) const {
    const double sx = scale_x(), sy = scale_y();
    return Box::from_corners((b.left - content_x) / sx, (b.top - content_y) / sy, (b.right() - content_x) / sx,
                             (b.bottom() - content_y) / sy);
}

Box ImageTransform::to_network(const Box& b) const {
    const double sx = scale_x(), sy = scale_y();
    return Box::from_corners(b.left * sx + content_x, b.top * sy + content_y, b.right() * sx + content_x,
                             b.bottom() * sy + content_y);
}

torch::Tensor to_network_input(const torch::Tensor& rgb, torch::Device device) {
    TORCH_CHECK(rgb.dim() == 3 || rgb.dim() == 4, "expected [3, H, W] or [N, 3, H, W], got ", rgb.sizes());
    torch::Tensor x = rgb.dim() == 3 ? rgb.unsqueeze(0) : rgb;
    TORCH_CHECK(x.size(1) == 3, "expected 3 (RGB) channels first, got ", rgb.sizes());
    TORCH_CHECK(x.size(2) % CenterNetImpl::kAlign == 0 && x.size(3) % CenterNetImpl::kAlign == 0,
                "image height and width must be multiples of ", CenterNetImpl::kAlign, ", got ", rgb.sizes());
    // Raw 0–255 values, no mean/std normalisation: that is what the pretrained weights expect.
    return x.to(device, torch::kFloat32).contiguous();
}

}  // namespace apiary::nn
