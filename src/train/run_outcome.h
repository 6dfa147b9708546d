#pragma once
// What every trainer (detector, classifier) hands back when its epoch loop ends: the epochs
// run, the history, the time, and — unless interrupted — the calibration fitted on the
// validation images and the weight-averaged network, switched to inference.
#include "eval/calibration.h"
#include "train/checkpoint.h"

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

}  // namespace apiary::train
