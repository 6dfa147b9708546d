#pragma once
// What every trainer (detector, classifier) hands back when its epoch loop ends: the epochs
// run, the history, the time, and — unless interrupted — the calibration fitted on the
// validation images and the weight-averaged network, switched to inference.
#include "core/json.h"
#include "eval/calibration.h"
#include "train/checkpoint.h"
#include "train/train_config.h"

namespace apiary::train {

// `Outcome` is TrainOutcome or ClassifierOutcome (same members), `Net` their network holder.
template <typename Outcome, typename Net>
void finish_outcome(Outcome& outcome, const CheckpointState& state, double seconds, Net& ema) {
    outcome.epochs_run = state.epoch;
    outcome.history = state.history;
    outcome.seconds = seconds;
    if (outcome.interrupted) return;
    if (!state.calibration.is_null()) {
        outcome.calibration_fit = state.calibration;
        outcome.calibration = eval::ScoreCalibration::from_json(state.calibration.at("calibration"), "checkpoint");
    }
    ema->eval();
    outcome.net = ema;
}

// The model manifest's record of how a version was trained: the resolved knobs, what the run
// did, and the images it saw. `Summary` is TrainSummary (train_images, validation_images).
template <typename Outcome, typename Summary>
Json training_record(const TrainConfig& config, const Outcome& outcome, const Summary& result) {
    Json t = config.to_json();
    t["epochs_run"] = outcome.epochs_run;
    t["fold_in_epochs"] = outcome.fold_in_epochs;
    t["calibration_fit"] = outcome.calibration_fit;
    t["seconds"] = outcome.seconds;
    t["train_images"] = result.train_images;
    t["validation_images"] = result.validation_images;
    return t;
}

}  // namespace apiary::train
