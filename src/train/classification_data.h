#pragma once
// What the classifier trains on: images decoded once and kept in memory (shrunk to what the
// random crops of the input size can use), their label indices, and the class-balance weights
// that keep a rare label from being drowned by common ones.
#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "data/entry.h"

namespace apiary::train {

struct LabelledImage {
    std::string source_ref;
    cv::Mat image;            // BGR, longer side at most 1.5 x the input size
    double width = 0, height = 0;  // the original's pixels (for whole-image truth boxes)
    std::vector<int> labels;  // indices into the label list; single-label: exactly one
};

// The labels of a classification dataset (image-level labels), sorted.
std::vector<std::string> image_label_set(const std::vector<data::Entry>& entries);

// Labels not in `labels` are ignored. Throws Error naming the image when it cannot be decoded,
// or, for a single-label dataset, when it does not carry exactly one known label.
std::vector<LabelledImage> cache_labelled_images(const std::vector<data::Entry>& entries,
                                                 const std::vector<std::string>& labels, int input_size,
                                                 bool multi_label);

// Per label, the weight its loss term gets. Single-label: images / (labels · images of the
// label) — "balanced" weights, under which every label contributes equally — clamped to
// [0.1, 10]. Multi-label: the positive weight, images without the label / images with it,
// clamped to [1, 10] (a label on half the images or more needs none).
std::vector<double> class_balance_weights(const std::vector<LabelledImage>& images, size_t num_labels,
                                          bool multi_label);

}  // namespace apiary::train
