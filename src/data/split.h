#pragma once
// Deterministic, stratified train/test split.
#include <cstdint>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

// Assigns Split::Train / Split::Test to every entry. About `test_percent`% go to test; each label
// that appears in at least two images appears on both sides. Same input and seed → same split,
// on every platform (no std:: distributions, whose output is implementation-defined).
void stratified_split(std::vector<Entry>& entries, double test_percent, uint64_t seed);

}  // namespace apiary::data
