#pragma once
// The automatic choices that let a user train without ML knowledge.
#include <vector>

#include "data/entry.h"
#include "train/train_config.h"

namespace apiary::train {

// The whole-image input size at which small objects (10th percentile of the short side over
// the image's longer side) span ~20 input pixels, a multiple of 32; 0 without boxes.
int wanted_input_size(const std::vector<data::Entry>& train);

// Input size: wanted_input_size() within 448..640 (512 without boxes).
int choose_image_size(const std::vector<data::Entry>& train);

// Share of the image's longer side one tile covers (vision/tiles.h) when objects are too small
// for the whole image at `image_size`: image_size / wanted_input_size(), at least 0.1; 0 (no
// tiles) while the wanted size is within 1.25x the input. Objects under ~2.5% of the image side
// at a 640 input are found on tiles.
double choose_tile_fraction(const std::vector<data::Entry>& train, int image_size);

// Epochs: what fits the time budget at the measured per-image cost, within 10..80.
int choose_epochs(size_t train_images, int image_size, double time_budget_s);

// Heatmap peaks to decode per image: twice the densest training image's boxes (room for
// look-alike peaks the matching must see), at least 100 and at most 5,000.
int choose_max_detections(const std::vector<data::Entry>& train);

// Fills every zero/auto field of `requested`.
TrainConfig resolve_config(TrainConfig requested, const std::vector<data::Entry>& train);

}  // namespace apiary::train
