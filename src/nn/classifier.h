#pragma once
// The image classifier: the pretrained MobileNetV3 backbone of the CenterNet (mobilenet_v3.h)
// with a pooled linear head, one logit per label. Single-label models read the logits through
// a softmax, multi-label ones through a sigmoid per label (ClassifierImpl::probabilities).
//
// Input: [N, 3, H, W] float RGB in 0–255 (no normalisation, as the pretrained weights expect),
// H and W multiples of 32. Output: logits [N, labels].
#include <torch/torch.h>

#include <cstdint>

#include "nn/mobilenet_v3.h"

namespace apiary::nn {

class ClassifierImpl : public torch::nn::Module {
public:
    ClassifierImpl(int64_t num_labels, bool multi_label);

    torch::Tensor forward(const torch::Tensor& images);          // logits: classify(features(images))
    torch::Tensor features(const torch::Tensor& images);         // pooled backbone features [N, kFeatures]
    torch::Tensor classify(const torch::Tensor& features);       // the head alone: logits [N, labels]
    torch::Tensor probabilities(const torch::Tensor& logits) const;  // softmax or sigmoid

    int64_t num_labels() const { return head->options.out_features(); }
    bool multi_label() const { return multi_label_; }
    torch::Device device() const { return backbone->stem->weight.device(); }

    // Pooled C4 (88 channels, stride 16) beside pooled C5 (480, stride 32): the COCO-trained
    // C5 is tuned to what the detector's neck needed, and the mid-level C4 texture features
    // tell materials apart (paper from cardboard) better on their own.
    static constexpr int64_t kFeatures = MobileNetV3Impl::kC4Channels + MobileNetV3Impl::kC5Channels;

    MobileNetV3 backbone{nullptr};
    // The pooled features of the raw-0–255 backbone are large and spread unevenly over channels;
    // normalised, the fresh head starts on a steady scale instead of saturating its softmax.
    torch::nn::LayerNorm norm{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};

private:
    bool multi_label_;
};
TORCH_MODULE(Classifier);

// A classifier whose backbone carries the pretrained CenterNet's weights (the cached
// human-models centernet, see pretrained.h) and whose head is fresh, on `device`.
Classifier load_pretrained_classifier(int64_t num_labels, bool multi_label, torch::Device device);

}  // namespace apiary::nn
