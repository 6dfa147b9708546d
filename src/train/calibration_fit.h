#pragma once
// Measuring the network on the held-out validation images and fitting its confidence
// calibration there (eval/calibration.h): the detections of images it has not trained on
// say what its scores are worth.
#include <string>
#include <vector>

#include "core/json.h"
#include "eval/calibration.h"
#include "eval/detection.h"
#include "nn/centernet.h"
#include "train/image_cache.h"

namespace apiary::train {

// `net` in eval mode; raw network scores; with tiles as the model will be run (0: none).
std::vector<eval::ImageCase> detect_cached(nn::CenterNetImpl& net, const std::vector<CachedImage>& images,
                                           const std::vector<std::string>& labels, int input_size, int max_detections,
                                           double tile_fraction = 0);

struct CalibrationFit {
    eval::ScoreCalibration calibration;
    double validation_ap50 = 0;
    size_t detections = 0;       // validation detections the fit used, all labels
    double ece_raw = 0;          // of the raw scores on those images (ECE over ≥ 10%)
    Json to_json() const;
};

// Per label, Platt scaling on the validation detections scoring at least 2% (below that are
// the hundreds of empty-background peaks per image, which would drown the ones that matter).
CalibrationFit fit_calibration(const std::vector<eval::ImageCase>& validation, const std::vector<std::string>& labels);

}  // namespace apiary::train
