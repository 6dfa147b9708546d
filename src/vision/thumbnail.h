#pragma once
// Thumbnails of stored dataset images for the console's gallery: the ground-truth boxes drawn on
// the stored pixel grid (where they are defined), then the picture turned upright by its EXIF
// orientation, scaled so its longest side is `size`, as JPEG bytes.
#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "vision/draw.h"

namespace apiary::vision {

std::string make_thumbnail(const std::filesystem::path& image, const std::vector<DrawnBox>& boxes, int size);

// `image` as a viewer shows it: EXIF orientation 1..8 undone (flips and quarter turns).
cv::Mat upright(const cv::Mat& image, int exif_orientation);

}  // namespace apiary::vision
