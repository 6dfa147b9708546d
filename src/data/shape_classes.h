#pragma once
// Generated classification datasets for tests and demos: small pictures of coloured shapes on
// a noisy background. Each shape kind has its own colour family (circle red, square green,
// triangle blue, cross yellow), so a few epochs learn them; size, place, shade and background
// vary from picture to picture.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace apiary::data {

// The shape kinds, in the order above.
const std::vector<std::string>& shape_labels();

// Single-label, folder-per-label: DIR/<label>/<prefix><label>-NNNN.jpg, `count` pictures per
// label (labels from shape_labels()), size x size pixels. Returns the number of images written.
// A distinct `prefix` gives a second set other source-refs (e.g. a test set beside the train set).
size_t write_shape_folders(const std::filesystem::path& dir, const std::vector<std::pair<std::string, size_t>>& counts,
                           int size, uint64_t seed, const std::string& prefix = "");

// Multi-label: `count` pictures DIR/images/NNNN.jpg each showing a random non-empty subset of
// the first `labels` shape kinds, and the Ground Truth multi-label manifest DIR/output.manifest
// (relative source-refs). Returns the manifest's path.
std::filesystem::path write_shape_multilabel(const std::filesystem::path& dir, size_t count, size_t labels, int size,
                                             uint64_t seed);

}  // namespace apiary::data
