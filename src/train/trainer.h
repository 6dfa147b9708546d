#pragma once
// Fine-tuning the pretrained CenterNet on a dataset: augmentation, a fixed warm-up + cosine
// schedule with a fold-in tail (schedule.h), weight averaging (EMA), confidence calibration
// fitted on the held-out validation images (calibration_fit.h), and a checkpoint after every
// epoch from which an interrupted run resumes (checkpoint.h).
#include <torch/torch.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"
#include "eval/calibration.h"
#include "nn/centernet.h"
#include "train/progress_report.h"
#include "train/train_config.h"

namespace apiary::train {

struct TrainingData {
    std::vector<std::string> labels;       // heatmap channel i is labels[i]
    std::vector<data::Entry> train;
    std::vector<data::Entry> validation;   // never the test set; joins training for the fold-in epochs
    int max_detections = 100;              // peaks decoded per validation image
};

struct TrainOutcome {
    nn::CenterNet net{nullptr};  // the weight average after the last epoch
    eval::ScoreCalibration calibration;  // identity when there were no validation images
    Json calibration_fit;        // CalibrationFit::to_json(), null without validation images
    int epochs_run = 0;
    int fold_in_epochs = 0;
    bool interrupted = false;    // stopped by the caller; resume from the checkpoint
    double seconds = 0;
    Json history = Json::array();  // one object per epoch
    Json head_start;             // where each label's heatmap classifier started (HeadTransfer)
};

class Trainer {
public:
    // `config` must be resolved (see auto_config.h). Checkpoints go to `checkpoint_dir`.
    Trainer(TrainConfig config, TrainingData data, std::filesystem::path checkpoint_dir, torch::Device device);

    // Trains; with `resume`, continues from the checkpoint in checkpoint_dir. `stop` (if given)
    // is polled between steps: when set, the run returns with interrupted = true, leaving the
    // last epoch's checkpoint.
    TrainOutcome run(const TrainerCallbacks& callbacks = {}, const std::atomic<bool>* stop = nullptr,
                     bool resume = false);

private:
    TrainConfig config_;
    TrainingData data_;
    std::filesystem::path checkpoint_dir_;
    torch::Device device_;
};

// Whether `checkpoint_dir` holds a checkpoint that run(..., resume = true) can continue from.
bool has_checkpoint(const std::filesystem::path& checkpoint_dir);

}  // namespace apiary::train
