#include "train/optimiser.h"

namespace apiary::train {

Optimiser::Optimiser(torch::nn::Module& net, const TrainConfig& config, const std::string& head_prefix) {
    std::vector<torch::Tensor> head, body;
    for (auto& p : net.named_parameters()) {
        const bool in_backbone = p.key().rfind("backbone.", 0) == 0;
        if (config.freeze_backbone && in_backbone) {
            p.value().set_requires_grad(false);
            continue;
        }
        (p.key().rfind(head_prefix, 0) == 0 ? head : body).push_back(p.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    // Each group carries its own options: libtorch does not fill a group's from the defaults.
    const auto options = [](double lr) {
        auto o = std::make_unique<torch::optim::AdamWOptions>(lr);
        o->weight_decay(1e-4);
        return o;
    };
    groups.emplace_back(body, options(config.lr));
    groups.emplace_back(head, options(config.lr * 5));
    group_scale_ = {1.0, 5.0};
    adamw_ = std::make_unique<torch::optim::AdamW>(std::move(groups),
                                                   torch::optim::AdamWOptions(config.lr).weight_decay(1e-4));
}

void Optimiser::set_learning_rate(double lr) {
    auto& groups = adamw_->param_groups();
    for (size_t g = 0; g < groups.size(); ++g)
        static_cast<torch::optim::AdamWOptions&>(groups[g].options()).lr(lr * group_scale_[g]);
}

}  // namespace apiary::train
