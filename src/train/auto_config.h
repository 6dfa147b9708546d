#pragma once
// The automatic choices that let a user train without ML knowledge.
#include <vector>

#include "data/entry.h"
#include "train/train_config.h"

namespace apiary::train {

// Input size: big enough that small objects (10th percentile) still span ~20 input pixels,
// within 512..640, a multiple of 32.
int choose_image_size(const std::vector<data::Entry>& train);

// Epochs: what fits the time budget at the measured per-image cost, within 10..80.
int choose_epochs(size_t train_images, int image_size, double time_budget_s);

// Heatmap peaks to decode per image: twice the densest training image's boxes (room for
// look-alike peaks the matching must see), at least 100 and at most 5,000.
int choose_max_detections(const std::vector<data::Entry>& train);

// Fills every zero/auto field of `requested`.
TrainConfig resolve_config(TrainConfig requested, const std::vector<data::Entry>& train);

}  // namespace apiary::train
