#pragma once
// A decoded OpenCV image as the network wants it: [3, H, W] uint8 RGB, channels first.
#include <opencv2/core.hpp>
#include <torch/torch.h>

namespace apiary::train {

torch::Tensor rgb_tensor(const cv::Mat& bgr);

}  // namespace apiary::train
