#pragma once
// The classifier's training loss, shared by fine-tuning and the linear probe before it.
#include <torch/torch.h>

#include <vector>

#include "train/classification_data.h"

namespace apiary::train {

// The loss' targets for `batch` (row i is batch[i]), on the CPU: single-label, the label index
// of each image ([N], int64); multi-label, 1 for each label an image carries ([N, labels]).
torch::Tensor classifier_targets(const std::vector<const LabelledImage*>& batch, int64_t labels, bool multi_label);

// Class-weighted softmax cross-entropy with light label smoothing (single-label), or
// class-weighted binary cross-entropy per label (multi-label), against classifier_targets.
torch::Tensor classifier_loss(const torch::Tensor& logits, const torch::Tensor& targets, const torch::Tensor& weights,
                              bool multi_label);

// The same, with the targets built from `batch`.
torch::Tensor classifier_loss(const torch::Tensor& logits, const std::vector<const LabelledImage*>& batch,
                              const torch::Tensor& weights, bool multi_label);

}  // namespace apiary::train
