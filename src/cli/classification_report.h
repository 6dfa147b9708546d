#pragma once
// What `apiary train` / `describe` / `evaluate` print for a classifier beyond the per-label
// table (whose AP50 is the label's AP, and whose TEST BOXES are its test images): accuracy,
// macro F1 and, for single-label models, the confusion matrix.
#include <ostream>

#include "core/json.h"

namespace apiary::cli {

// Prints nothing for a detector's evaluation (no "classification" member).
void print_classification_report(const Json& evaluation, std::ostream& out);

}  // namespace apiary::cli
