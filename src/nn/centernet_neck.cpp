#include "nn/centernet_neck.h"

#include "nn/tf_ops.h"

namespace apiary::nn {

LateralBlockImpl::LateralBlockImpl(int64_t in, int64_t reduced, int64_t out) {
    reduce = register_module("reduce", ConvUnit(ConvSpec::pointwise(in, reduced, Activation::Relu)));
    conv = register_module("conv", SeparableConv(reduced, out, 5));
}

torch::Tensor LateralBlockImpl::forward(const torch::Tensor& x) { return conv(reduce(x)); }

UpsampleBlockImpl::UpsampleBlockImpl(int64_t in, int64_t out) {
    branch3 = register_module("branch3", SeparableConv(in, out, 3));
    branch5 = register_module("branch5", SeparableConv(in, out, 5));
}

torch::Tensor UpsampleBlockImpl::forward(const torch::Tensor& x, int64_t out_h, int64_t out_w) {
    // The TF graph resizes to a constant 2× size; resizing to the lateral's size is the same
    // for inputs that are multiples of 32 and keeps other sizes working.
    return resize_bilinear_tf_legacy(branch3(x) + branch5(x), out_h, out_w);
}

CenterNetNeckImpl::CenterNetNeckImpl() {
    using B = MobileNetV3Impl;
    lateral2 = register_module("lateral2", LateralBlock(B::kC2Channels, 18, 64));
    lateral3 = register_module("lateral3", LateralBlock(B::kC3Channels, 24, 96));
    lateral4 = register_module("lateral4", LateralBlock(B::kC4Channels, 22, 128));
    up5 = register_module("up5", UpsampleBlock(B::kC5Channels, 128));
    up4 = register_module("up4", UpsampleBlock(128 + 128, 96));
    up3 = register_module("up3", UpsampleBlock(96 + 96, 64));
    attention = register_module("attention", SqueezeExcite(64 + 64, 32, Activation::Sigmoid, /*expand_bias=*/false));
}

torch::Tensor CenterNetNeckImpl::forward(const BackboneFeatures& f) {
    // Lateral first, upsampled second: the order of TF's ConcatV2 inputs.
    auto merge = [](const torch::Tensor& lateral, UpsampleBlock& up, const torch::Tensor& coarse) {
        return activate_fresh(torch::cat({lateral, up(coarse, lateral.size(2), lateral.size(3))}, 1),
                              Activation::Relu);
    };
    torch::Tensor x = merge(lateral4(f.c4), up5, f.c5);
    x = merge(lateral3(f.c3), up4, x);
    x = merge(lateral2(f.c2), up3, x);
    return attention(x);
}

}  // namespace apiary::nn
