#pragma once
// The classifier's training loss, shared by fine-tuning and the linear probe before it.
#include <torch/torch.h>

#include <vector>

#include "train/classification_data.h"

namespace apiary::train {

// Class-weighted softmax cross-entropy with light label smoothing (single-label), or
// class-weighted binary cross-entropy per label (multi-label). Row i of `logits` is `batch[i]`.
torch::Tensor classifier_loss(const torch::Tensor& logits, const std::vector<const LabelledImage*>& batch,
                              const torch::Tensor& weights, bool multi_label);

}  // namespace apiary::train
