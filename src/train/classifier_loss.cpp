#include "train/classifier_loss.h"

namespace apiary::train {

torch::Tensor classifier_loss(const torch::Tensor& logits, const std::vector<const LabelledImage*>& batch,
                              const torch::Tensor& weights, bool multi_label) {
    namespace F = torch::nn::functional;
    const auto n = int64_t(batch.size()), labels = logits.size(1);
    if (multi_label) {
        auto target = torch::zeros({n, labels});
        for (int64_t i = 0; i < n; ++i)
            for (int l : batch[size_t(i)]->labels) target[i][l] = 1;
        return F::binary_cross_entropy_with_logits(
            logits, target.to(logits.device()),
            F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(weights));
    }
    auto target = torch::empty({n}, torch::kInt64);
    for (int64_t i = 0; i < n; ++i) target[i] = batch[size_t(i)]->labels.front();
    return F::cross_entropy(logits, target.to(logits.device()),
                            F::CrossEntropyFuncOptions().weight(weights).label_smoothing(0.1));
}

}  // namespace apiary::train
