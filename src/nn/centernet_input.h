#pragma once
// Getting images into the network and boxes back out. nn does not depend on OpenCV: callers
// resize (stretch or letterbox) themselves and hand over RGB pixels as a tensor; an
// ImageTransform records where the original image ended up in the network input.
#include <torch/torch.h>

#include "core/geometry.h"

namespace apiary::nn {

// Placement of an original image inside the network input: the original's full extent
// occupies the rectangle content_{x,y,width,height} (network pixels).
struct ImageTransform {
    int original_width = 0, original_height = 0;
    int content_x = 0, content_y = 0, content_width = 0, content_height = 0;

    // Plain resize to net_width × net_height (aspect ratio not kept).
    static ImageTransform stretch(int original_width, int original_height, int net_width, int net_height);
    // Uniform scale to fit, centred; content size rounded to whole pixels. Resize the image to
    // content_width × content_height and paste it at (content_x, content_y).
    static ImageTransform letterbox(int original_width, int original_height, int net_width, int net_height);

    double scale_x() const { return static_cast<double>(content_width) / original_width; }
    double scale_y() const { return static_cast<double>(content_height) / original_height; }

    Box to_original(const Box& network_box) const;  // network pixels → original pixels
    Box to_network(const Box& original_box) const;  // original pixels → network pixels
};

// [3, H, W] or [N, 3, H, W] RGB (uint8 or floating, 0–255, channels first) → [N, 3, H, W]
// float32 on `device`, the network's input. H and W must be multiples of 32.
torch::Tensor to_network_input(const torch::Tensor& rgb, torch::Device device);

}  // namespace apiary::nn
