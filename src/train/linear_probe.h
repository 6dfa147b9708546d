#pragma once
// Linear probing before fine-tuning (LP-FT, Kumar et al., ICLR 2022): the classifier's fresh
// head is first fitted on the frozen pretrained features, so that fine-tuning starts from a
// head that already separates the labels instead of one whose random gradients pull the
// backbone's features apart in the first steps.
#include <torch/torch.h>

#include <vector>

#include "nn/classifier.h"
#include "train/classification_data.h"

namespace apiary::train {

struct LinearProbe {
    double loss = 0;      // the probe's final training loss
    size_t samples = 0;   // feature rows fitted (each image and its mirror image)
};

// Fits `net`'s norm and head (the backbone untouched) on the pooled features of `images` at
// `input_size`, each whole and mirrored, with the training loss (classifier_loss.h). Full
// batch: the features are computed once, so the fit costs one forward pass per image.
LinearProbe fit_linear_probe(nn::ClassifierImpl& net, const std::vector<LabelledImage>& images, int input_size,
                             const torch::Tensor& class_weights, int steps = 300, double lr = 3e-3);

}  // namespace apiary::train
