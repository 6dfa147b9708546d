#include "train/rgb_tensor.h"

#include <opencv2/imgproc.hpp>

namespace apiary::train {

torch::Tensor rgb_tensor(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8).permute({2, 0, 1}).clone();
}

}  // namespace apiary::train
