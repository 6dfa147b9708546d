#pragma once
// A training run's checkpoint after each epoch: both networks, the optimiser, the random
// generator and the history, written into a staging directory and put in place as one
// (replace_directory_durably), so a crash or power loss at any moment leaves the previous
// epoch's checkpoint or this one, never a mix of the two.
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "core/json.h"
#include "nn/centernet.h"
#include "train/train_config.h"

namespace apiary::train {

struct CheckpointState {
    int epoch = 0;     // epochs completed
    int64_t step = 0;  // optimiser steps taken
    std::string rng;   // the run's generator, as its operator<< writes it
    Json history = Json::array();
    Json calibration;  // eval::ScoreCalibration::to_json() once fitted; null before
    Json head_start;   // the detector's HeadTransfer::to_json(), chosen before the first epoch
};

// The networks are any module (the detector, or the classifier: classifier_trainer.h).
struct CheckpointParts {
    torch::nn::Module& net;
    torch::nn::Module& ema;
    torch::optim::Optimizer& optimizer;
    CheckpointParts(nn::CenterNet& n, nn::CenterNet& e, torch::optim::Optimizer& o) : net(*n), ema(*e), optimizer(o) {}
    CheckpointParts(torch::nn::Module& n, torch::nn::Module& e, torch::optim::Optimizer& o)
        : net(n), ema(e), optimizer(o) {}
};

class Checkpoint {
public:
    explicit Checkpoint(std::filesystem::path root) : root_(std::move(root)) {}

    bool exists() const;
    void save(const CheckpointState& state, const TrainConfig& config, CheckpointParts parts) const;
    // Loads the parts in place; Error naming the file when one is damaged.
    CheckpointState load(CheckpointParts parts) const;

private:
    std::filesystem::path current() const { return root_ / "current"; }
    std::filesystem::path root_;
};

}  // namespace apiary::train
