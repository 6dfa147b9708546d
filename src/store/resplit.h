#pragma once
// Re-splitting a project: all of its entries, train and test together, divided again into
// train and test, stratified by label (`apiary dataset split`, the console's Split button).
#include <cstdint>

#include "store/catalog.h"

namespace apiary::store {

struct SplitCounts {
    int64_t train = 0, test = 0;
};

// NotFound when the project has no datasets yet.
SplitCounts resplit_project(Catalog& catalog, const ProjectInfo& project, double test_percent, uint64_t seed);

}  // namespace apiary::store
