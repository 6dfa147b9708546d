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
    double val_ap50 = -1;           // the latest validation AP50 (-1: none yet)
    const char* metric = "AP50";    // what val_ap50 measures, as progress lines name it
};

struct EpochReport {
    int epoch = 0, epochs = 0;
    double loss = 0, heatmap_loss = 0, box_loss = 0;
    double val_ap50 = -1;           // -1: not measured (fold-in epochs train on the validation images)
    const char* metric = "AP50";    // what val_ap50 measures (a classifier's: the mean AP over labels)
    bool loss_parts = true;         // heatmap_loss / box_loss mean something (not for a classifier)
    bool calibrated = false;        // the confidence calibration was fitted after this epoch
    bool folded_in = false;         // this epoch trained on the validation images too
    double elapsed_s = 0, eta_s = 0;
};

struct TrainerCallbacks {
    std::function<void(const StepReport&)> on_step;
    std::function<void(const EpochReport&)> on_epoch;
};

}  // namespace apiary::train
