#pragma once
// The CenterNet neck ("CenternetHead" in the TF graph up to the two prediction convs): a
// small feature pyramid that brings the stride-32 features back to stride 4.
//
//   c5 ─ up(480→128) ─┐
//   c4 ─ lateral(88→22→128) ─ concat ─ relu ─ up(256→96) ─┐
//   c3 ─ lateral(96→24→96) ───────────────────── concat ─ relu ─ up(192→64) ─┐
//   c2 ─ lateral(72→18→64) ──────────────────────────────────────── concat ─ relu ─ attention → 128 @ stride 4
//
// "up" = (separable 3×3 + separable 5×5) then 2× bilinear resize with TF's legacy rule;
// "lateral" = 1×1 + relu then separable 5×5; "attention" = squeeze-excite with sigmoid gate.
#include <torch/torch.h>

#include <cstdint>

#include "nn/layers.h"
#include "nn/mobilenet_v3.h"

namespace apiary::nn {

// 1×1 reduction (relu) then a separable 5×5: the "cN_reverse" scopes.
class LateralBlockImpl : public torch::nn::Module {
public:
    LateralBlockImpl(int64_t in, int64_t reduced, int64_t out);
    torch::Tensor forward(const torch::Tensor& x);

    ConvUnit reduce{nullptr};
    SeparableConv conv{nullptr};
};
TORCH_MODULE(LateralBlock);

// Sum of a separable 3×3 and a separable 5×5 branch, resized to the next level's size:
// the "cN_upsample" scopes.
class UpsampleBlockImpl : public torch::nn::Module {
public:
    UpsampleBlockImpl(int64_t in, int64_t out);
    torch::Tensor forward(const torch::Tensor& x, int64_t out_h, int64_t out_w);

    SeparableConv branch3{nullptr};  // TF "branch_x_upsample_resize"
    SeparableConv branch5{nullptr};  // TF "branch_y_upsample_resize"
};
TORCH_MODULE(UpsampleBlock);

class CenterNetNeckImpl : public torch::nn::Module {
public:
    CenterNetNeckImpl();
    torch::Tensor forward(const BackboneFeatures& f);  // → [N, kChannels, H/4, W/4]

    static constexpr int64_t kChannels = 128;

    LateralBlock lateral2{nullptr}, lateral3{nullptr}, lateral4{nullptr};
    UpsampleBlock up5{nullptr}, up4{nullptr}, up3{nullptr};
    SqueezeExcite attention{nullptr};
};
TORCH_MODULE(CenterNetNeck);

}  // namespace apiary::nn
