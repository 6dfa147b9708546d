#pragma once
// CenterNet's training loss: penalty-reduced focal loss on the heatmap logits against the
// Gaussian targets, plus GIoU loss of the predicted box distances over the Gaussian area.
#include <torch/torch.h>

#include "nn/centernet.h"
#include "nn/centernet_targets.h"

namespace apiary::nn {

struct LossOptions {
    double heatmap_weight = 1.0;
    double box_weight = 5.0;
    int64_t stride = 4;
};

struct LossParts {
    torch::Tensor total;    // scalar, differentiable
    torch::Tensor heatmap;  // scalar, detached
    torch::Tensor box;      // scalar, detached
};

// The focal loss' sums per channel ([C]), before dividing by the number of centres: logits
// [N, C, h, w] against a target of the same shape or [N, 1, h, w] (one target for every
// channel). log p and log(1 - p) come from log-sigmoid of ±logit, finite for any logit.
torch::Tensor focal_loss_terms(const torch::Tensor& logits, const torch::Tensor& target);

LossParts centernet_loss(const CenterNetOutput& output, const TargetBatch& targets, const LossOptions& options = {});

}  // namespace apiary::nn
