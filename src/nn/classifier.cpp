#include "nn/classifier.h"

#include "nn/centernet_import.h"

namespace apiary::nn {

ClassifierImpl::ClassifierImpl(int64_t num_labels, bool multi_label) : multi_label_(multi_label) {
    TORCH_CHECK(num_labels >= 1, "a classifier needs at least one label");
    backbone = register_module("backbone", MobileNetV3());
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({kFeatures})));
    dropout = register_module("dropout", torch::nn::Dropout(0.2));
    head = register_module("head", torch::nn::Linear(kFeatures, num_labels));
    // Small initial logits: training starts from "every label equally likely".
    torch::NoGradGuard no_grad;
    head->weight.normal_(0, 0.01);
    head->bias.zero_();
}

torch::Tensor ClassifierImpl::forward(const torch::Tensor& images) { return classify(features(images)); }

torch::Tensor ClassifierImpl::features(const torch::Tensor& images) {
    TORCH_CHECK(images.dim() == 4 && images.size(1) == 3, "the classifier expects [N, 3, H, W] images, got ",
                images.sizes());
    TORCH_CHECK(images.size(2) % 32 == 0 && images.size(3) % 32 == 0,
                "classifier input height and width must be multiples of 32, got ", images.sizes());
    // Channels-last, as in CenterNetImpl::features: oneDNN's fast depthwise and 1×1 kernels.
    const BackboneFeatures f = backbone(images.contiguous(at::MemoryFormat::ChannelsLast));
    return torch::cat({f.c4.mean({2, 3}), f.c5.mean({2, 3})}, 1);
}

torch::Tensor ClassifierImpl::classify(const torch::Tensor& features) { return head(dropout(norm(features))); }

torch::Tensor ClassifierImpl::probabilities(const torch::Tensor& logits) const {
    return multi_label_ ? torch::sigmoid(logits) : torch::softmax(logits, 1);
}

Classifier load_pretrained_classifier(int64_t num_labels, bool multi_label, torch::Device device) {
    CenterNet detector = load_pretrained_centernet(torch::kCPU);
    Classifier net(num_labels, multi_label);
    {
        torch::NoGradGuard no_grad;
        auto dst = net->backbone->named_parameters();
        for (const auto& p : detector->backbone->named_parameters()) dst[p.key()].copy_(p.value());
        auto dst_buffers = net->backbone->named_buffers();
        for (const auto& b : detector->backbone->named_buffers()) dst_buffers[b.key()].copy_(b.value());
    }
    net->to(device);
    return net;
}

}  // namespace apiary::nn
