#include "train/classifier_loss.h"

namespace apiary::train {

torch::Tensor classifier_targets(const std::vector<const LabelledImage*>& batch, int64_t labels, bool multi_label) {
    const auto n = int64_t(batch.size());
    if (multi_label) {
        std::vector<float> target(size_t(n * labels), 0.0f);
        for (int64_t i = 0; i < n; ++i)
            for (int l : batch[size_t(i)]->labels) target[size_t(i * labels + l)] = 1.0f;
        return torch::tensor(target).reshape({n, labels});
    }
    std::vector<int64_t> target(batch.size());
    for (int64_t i = 0; i < n; ++i) target[size_t(i)] = batch[size_t(i)]->labels.front();
    return torch::tensor(target);
}

torch::Tensor classifier_loss(const torch::Tensor& logits, const torch::Tensor& targets, const torch::Tensor& weights,
                              bool multi_label) {
    namespace F = torch::nn::functional;
    if (multi_label)
        return F::binary_cross_entropy_with_logits(
            logits, targets.to(logits.device()), F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(weights));
    return F::cross_entropy(logits, targets.to(logits.device()),
                            F::CrossEntropyFuncOptions().weight(weights).label_smoothing(0.1));
}

torch::Tensor classifier_loss(const torch::Tensor& logits, const std::vector<const LabelledImage*>& batch,
                              const torch::Tensor& weights, bool multi_label) {
    return classifier_loss(logits, classifier_targets(batch, logits.size(1), multi_label), weights, multi_label);
}

}  // namespace apiary::train
