#pragma once
// The train/test split of a single-label classification dataset, stratified in proportion:
// each label sends about `test_percent`% of its own images to test (at least one to each side
// when it has two), so a 100-image label gives 20 test images, not "some". stratified_split
// (split.h) only promises each label on both sides, which is what detection datasets, with
// several labels per image, allow.
#include <cstdint>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

// Entries are grouped by their first image-level label (entries without one form their own
// group). Same input and seed → same split, on every platform.
void label_stratified_split(std::vector<Entry>& entries, double test_percent, uint64_t seed);

}  // namespace apiary::data
