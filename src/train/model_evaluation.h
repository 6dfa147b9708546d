#pragma once
// Running a network over labelled entries and scoring it (eval/), plus the reference service's
// evaluation summary document.
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"
#include "eval/calibration.h"
#include "eval/evaluation.h"
#include "eval/predictions.h"
#include "nn/centernet.h"

namespace apiary::train {

struct EvaluationSetup {
    std::vector<std::string> labels;
    int input_size = 512;
    bool flip_test = false;
    std::map<std::string, double> fixed_thresholds;  // empty: calibrate (best F1 per label)
    int max_detections = 100;  // peaks decoded per image (the model's manifest)
    eval::ScoreCalibration calibration;  // applied to every score before it is evaluated
    double tile_fraction = 0;            // the model's tiles (infer/detector_run.h); 0: none
};

struct NetworkEvaluation {
    eval::Evaluation evaluation;
    eval::StoredPredictions predictions;  // every detection ≥ 1%, for answers without the model
};

NetworkEvaluation evaluate_network(nn::CenterNetImpl& net, const std::vector<data::Entry>& entries,
                                   const EvaluationSetup& setup);

}  // namespace apiary::train
