#pragma once
// The automatic choices for classifiers (auto_config.h makes the detector's): a whole image
// says what it shows at a much smaller input than a detector needs to find small objects.
#include <cstddef>

#include "train/train_config.h"

namespace apiary::train {

// 224 px: the size MobileNets are made for. Measured on trash (BENCHMARKS.md, issue 13).
constexpr int kClassifierImageSize = 224;

// Epochs: about 4,000 training images seen (8..40 epochs), fewer when that would take more than
// half the time budget at the measured per-image cost (at least 5).
int choose_classifier_epochs(size_t train_images, int image_size, double time_budget_s);

// Fills every zero/auto field of `requested` for a classifier over `train_images` images.
TrainConfig resolve_classifier_config(TrainConfig requested, size_t train_images);

}  // namespace apiary::train
