#include "nn/centernet_heads.h"

namespace apiary::nn {

HeatmapHeadImpl::HeatmapHeadImpl(int64_t in, int64_t num_classes) {
    depthwise = register_module("depthwise", ConvUnit(ConvSpec::depthwise(in, 3, 1, Activation::None, false)));
    classifier = register_module("classifier", ConvUnit(ConvSpec::pointwise(in, num_classes)));
}

torch::Tensor HeatmapHeadImpl::forward(const torch::Tensor& features) { return classifier(depthwise(features)); }

void HeatmapHeadImpl::reset_classes(int64_t num_classes, const std::vector<int64_t>& start_from) {
    TORCH_CHECK(num_classes > 0, "reset_classes: num_classes must be positive");
    TORCH_CHECK(start_from.empty() || int64_t(start_from.size()) == num_classes,
                "reset_classes: start_from names ", start_from.size(), " classes, expected ", num_classes);
    const torch::Device device = depthwise->weight.device();
    ConvUnit fresh(ConvSpec::pointwise(depthwise->spec().out, num_classes));
    {
        torch::NoGradGuard no_grad;
        fresh->weight.normal_(0.0, 0.01);
        fresh->bias.fill_(kPriorBias);
        const int64_t old_classes = classifier->spec().out;
        for (size_t i = 0; i < start_from.size(); ++i) {
            const int64_t from = start_from[i];
            if (from < 0 || from >= old_classes) continue;
            fresh->weight[int64_t(i)].copy_(classifier->weight[from]);
            fresh->bias[int64_t(i)].copy_(classifier->bias[from]);
        }
    }
    fresh->to(device, depthwise->weight.scalar_type());
    classifier = replace_module("classifier", fresh);
}

BoxHeadImpl::BoxHeadImpl(int64_t in, double scale_value) {
    depthwise = register_module("depthwise", ConvUnit(ConvSpec::depthwise(in, 3, 1, Activation::None, false)));
    regressor = register_module("regressor", ConvUnit(ConvSpec::pointwise(in, 4)));
    scale = register_buffer("scale", torch::tensor(static_cast<float>(scale_value)));
}

torch::Tensor BoxHeadImpl::forward(const torch::Tensor& features) {
    return regressor(depthwise(features)) * scale;
}

}  // namespace apiary::nn
