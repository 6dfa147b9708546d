#include "nn/mobilenet_v3.h"

namespace apiary::nn {

InvertedResidualImpl::InvertedResidualImpl(const InvertedResidualSpec& spec) : spec_(spec) {
    const int64_t hidden = spec.hidden();
    if (spec.expanded > 0)
        expand = register_module("expand", ConvUnit(ConvSpec::pointwise(spec.in, hidden, spec.act)));
    depthwise = register_module("depthwise", ConvUnit(ConvSpec::depthwise(hidden, spec.kernel, spec.stride, spec.act)));
    if (spec.se > 0) se = register_module("se", SqueezeExcite(hidden, spec.se, Activation::HardSigmoid));
    project = register_module("project", ConvUnit(ConvSpec::pointwise(hidden, spec.out)));
}

std::pair<torch::Tensor, torch::Tensor> InvertedResidualImpl::forward_with_expansion(const torch::Tensor& x) {
    const torch::Tensor expanded = expand ? expand(x) : x;
    torch::Tensor y = depthwise(expanded);
    if (se) y = se(y);
    y = project(y);
    if (spec_.residual()) y = y + x;
    return {y, expanded};
}

torch::Tensor InvertedResidualImpl::forward(const torch::Tensor& x) { return forward_with_expansion(x).first; }

const std::vector<InvertedResidualSpec>& mobilenet_v3_centernet_blocks() {
    using A = Activation;
    // in, expanded, out, kernel, stride, se, act. Squeeze-excite widths are
    // make_divisible(expanded / 4, 8), as in the MobileNetV3 paper's reference code.
    static const std::vector<InvertedResidualSpec> blocks = {
        {16, 0, 16, 3, 1, 0, A::Relu},             // 0   stride 2
        {16, 64, 24, 3, 2, 0, A::Relu},            // 1   stride 4
        {24, 72, 24, 3, 1, 0, A::Relu},            // 2
        {24, 72, 32, 5, 2, 24, A::Relu},           // 3   stride 8   (its expansion is C2)
        {32, 96, 32, 5, 1, 24, A::Relu},           // 4
        {32, 96, 32, 5, 1, 24, A::Relu},           // 5              (its expansion is C3)
        {32, 192, 64, 3, 2, 0, A::HardSwish},      // 6   stride 16
        {64, 160, 64, 3, 1, 0, A::HardSwish},      // 7
        {64, 144, 64, 3, 1, 0, A::HardSwish},      // 8
        {64, 144, 64, 3, 1, 0, A::HardSwish},      // 9
        {64, 384, 88, 3, 1, 96, A::HardSwish},     // 10
        {88, 528, 88, 3, 1, 136, A::HardSwish},    // 11             (its output is C4)
        {88, 528, 120, 5, 2, 136, A::HardSwish},   // 12  stride 32
        {120, 720, 120, 5, 1, 184, A::HardSwish},  // 13
        {120, 720, 120, 5, 1, 184, A::HardSwish},  // 14
    };
    return blocks;
}

MobileNetV3Impl::MobileNetV3Impl() {
    stem = register_module("stem", ConvUnit(ConvSpec{3, 16, 3, 2, 1, true, Activation::HardSwish}));
    const auto& specs = mobilenet_v3_centernet_blocks();
    for (size_t i = 0; i < specs.size(); ++i)
        blocks.push_back(register_module("block" + std::to_string(i), InvertedResidual(specs[i])));
    last = register_module("last", ConvUnit(ConvSpec::pointwise(specs.back().out, kC5Channels, Activation::HardSwish)));
}

BackboneFeatures MobileNetV3Impl::forward(const torch::Tensor& images) {
    BackboneFeatures f;
    torch::Tensor x = stem(images);
    for (size_t i = 0; i < blocks.size(); ++i) {
        const auto index = static_cast<int64_t>(i);
        if (index == kC2Block || index == kC3Block) {
            auto [y, expanded] = blocks[i]->forward_with_expansion(x);
            (index == kC2Block ? f.c2 : f.c3) = expanded;
            x = y;
        } else {
            x = blocks[i](x);
        }
        if (index == kC4Block) f.c4 = x;
    }
    f.c5 = last(x);
    return f;
}

}  // namespace apiary::nn
