#pragma once
// Fine-tuning the pretrained backbone as an image classifier (nn/classifier.h), with the
// detector's training plan (trainer.h): the same warm-up + cosine schedule with its fold-in
// tail (schedule.h), AdamW with a faster head (optimiser.h), weight averaging, per-label Platt
// calibration fitted on the validation images before they fold in (calibration_fit.h, on the
// whole-image cases of eval/classification.h), and a checkpoint after every epoch to resume
// from (checkpoint.h). What differs: whole-image augmentation (random resized crops, flips,
// colour), softmax cross-entropy (single-label) or a sigmoid per label (multi-label), and
// class-balance weights in the loss (classification_data.h).
#include <torch/torch.h>

#include <atomic>
#include <filesystem>

#include "core/json.h"
#include "eval/calibration.h"
#include "nn/classifier.h"
#include "train/progress_report.h"
#include "train/train_config.h"
#include "train/trainer.h"

namespace apiary::train {

struct ClassifierOutcome {
    nn::Classifier net{nullptr};         // the weight average after the last epoch
    eval::ScoreCalibration calibration;  // identity without validation images
    Json calibration_fit;                // CalibrationFit::to_json(); null without validation images
    int epochs_run = 0;
    int fold_in_epochs = 0;
    bool interrupted = false;
    double seconds = 0;
    Json history = Json::array();
};

class ClassifierTrainer {
public:
    // `config` resolved (classifier_config.h); `data.labels` are the image labels.
    ClassifierTrainer(TrainConfig config, TrainingData data, bool multi_label, std::filesystem::path checkpoint_dir,
                      torch::Device device);

    // As Trainer::run. The reports' val_ap50 is the validation images' mean AP over labels.
    ClassifierOutcome run(const TrainerCallbacks& callbacks = {}, const std::atomic<bool>* stop = nullptr,
                          bool resume = false);

private:
    TrainConfig config_;
    TrainingData data_;
    bool multi_label_;
    std::filesystem::path checkpoint_dir_;
    torch::Device device_;
};

}  // namespace apiary::train
