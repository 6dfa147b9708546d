#pragma once
// The pictures of an evaluation (evaluation.json): the reliability diagram — how often a
// detection at each confidence was right, against the diagonal a calibrated model follows —
// and the precision-recall curve of each label, its assumed threshold marked.
#include <filesystem>
#include <vector>

#include "core/json.h"

namespace apiary::vision {

// Writes reliability.png and pr-<label>.png (label names made file-safe) into `dir`, created if
// needed; returns the files written. Error naming the file when one cannot be written.
std::vector<std::filesystem::path> write_evaluation_plots(const Json& evaluation, const std::filesystem::path& dir);

}  // namespace apiary::vision
