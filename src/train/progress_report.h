#pragma once
// What a training run reports while it runs (no libtorch here: the CLI and the service include it).
#include <cstddef>
#include <functional>

namespace apiary::train {

struct StepReport {
    int epoch = 0, epochs = 0;      // 1-based epoch
    size_t step = 0, steps = 0;     // within the epoch
    double loss = 0;                // running mean over the epoch
    double elapsed_s = 0, eta_s = 0;
    double best_ap50 = -1;          // validation AP50 so far (-1: none yet)
};

struct EpochReport {
    int epoch = 0, epochs = 0;
    double loss = 0, heatmap_loss = 0, box_loss = 0;
    double val_ap50 = 0, best_ap50 = 0;
    int best_epoch = 0;
    bool improved = false;
    double elapsed_s = 0, eta_s = 0;
};

struct TrainerCallbacks {
    std::function<void(const StepReport&)> on_step;
    std::function<void(const EpochReport&)> on_epoch;
};

}  // namespace apiary::train
