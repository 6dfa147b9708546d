#pragma once
// Running the network on decoded images: letterbox to the input size, forward (optionally with
// horizontal-flip test-time augmentation), decode peaks back to original-image pixels; for
// models of small objects, also every tile of the image (vision/tiles.h), merged.
// Shared by the trainer's validation, evaluation and the predictor.
#include <opencv2/core.hpp>
#include <torch/torch.h>

#include <vector>

#include "nn/centernet.h"
#include "nn/centernet_decode.h"

namespace apiary::infer {

struct RunOptions {
    int input_size = 512;
    int64_t top_k = 100;
    float min_score = 0.0f;
    bool flip_test = false;  // average the outputs of the image and its mirror image
    // > 0: also run each tile of vision::tile_grid(this fraction of the longer side) and merge
    // their detections with the whole image's (the model's tile_fraction, train/auto_config.h).
    double tile_fraction = 0;
};

// `images` are BGR 8-bit. The network must be in eval mode; runs without autograd.
std::vector<std::vector<nn::Detection>> run_detector(nn::CenterNetImpl& net, const std::vector<cv::Mat>& images,
                                                     const RunOptions& options);

// [3, size, size] uint8 RGB of `bgr` letterboxed into size x size, and where it was placed.
struct PreparedImage {
    torch::Tensor rgb;
    nn::ImageTransform transform;
};
PreparedImage prepare_image(const cv::Mat& bgr, int size);

}  // namespace apiary::infer
