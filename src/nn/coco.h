#pragma once
// The 80 COCO class names in the order of the pretrained heatmap's channels (darknet's
// coco.names order: 0 person, 1 bicycle, 2 car, ..., 16 dog, 17 horse, ...).
#include <string>
#include <vector>

namespace apiary::nn {

const std::vector<std::string>& coco_class_names();

}  // namespace apiary::nn
