#pragma once
// Running the classifier on decoded images: each image stretched whole to the input size
// (vision/whole_image_augment.h, as the classifier was trained), one forward pass, the
// probability of every label. Shared by the trainer's validation, evaluation and the predictor.
#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <vector>

#include "nn/classifier.h"

namespace apiary::infer {

// [N, 3, size, size] uint8 RGB of BGR 8-bit `images`.
torch::Tensor classifier_input(const std::vector<cv::Mat>& images, int size);

// Per image, the raw probability of each label (softmax or sigmoid, see ClassifierImpl), in
// the network's label order. The network must be in eval mode; runs without autograd.
std::vector<std::vector<double>> run_classifier(nn::ClassifierImpl& net, const std::vector<cv::Mat>& images,
                                                int input_size);

}  // namespace apiary::infer
