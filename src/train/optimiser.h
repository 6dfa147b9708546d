#pragma once
// AdamW over the network's trainable parameters in two groups: the new classifier learns five
// times faster than the pretrained layers it sits on.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "nn/centernet.h"
#include "train/train_config.h"

namespace apiary::train {

class Optimiser {
public:
    // `head_prefix` names the new layer's parameters (the classifier's: "head").
    Optimiser(torch::nn::Module& net, const TrainConfig& config,
              const std::string& head_prefix = "heatmap_head.classifier");
    void set_learning_rate(double lr);  // of the pretrained layers; the head gets its multiple
    torch::optim::Optimizer& get() { return *adamw_; }

private:
    std::unique_ptr<torch::optim::AdamW> adamw_;
    std::vector<double> group_scale_;
};

}  // namespace apiary::train
