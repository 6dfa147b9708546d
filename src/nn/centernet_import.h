#pragma once
// Loads the pretrained TF.js CenterNet (human-models' centernet.json/.bin) into CenterNet.
//
// Each module is matched to its TF name scope (e.g. block 3's depthwise conv to
// "MobilenetV3/expanded_conv_3/depthwise"); the convolution node found under that scope gives
// the filter and bias tensors through its inputs, and its attributes (strides, padding, fused
// activation) and the nodes consuming it (hard-swish, hard-sigmoid, sigmoid) are checked
// against the module, so a wrong layout table fails loudly instead of silently mis-loading.
#include <torch/torch.h>

#include <filesystem>

#include "nn/centernet.h"
#include "nn/tfjs_graph.h"

namespace apiary::nn {

// Copies every weight of `graph` into `net`, which must still have the 80-class COCO heatmap
// head. Throws apiary::Error (naming model.json and the node) on any mismatch, and if any
// parameter of `net` was left unset.
void import_centernet(CenterNetImpl& net, const TfjsGraph& graph);

// Reads `model_json` and returns the imported network on `device`, in eval mode.
CenterNet load_centernet_tfjs(const std::filesystem::path& model_json, torch::Device device = torch::kCPU);

// The same for the cached human-models centernet (pretrained_model_json("centernet")); throws
// apiary::Error telling the user to run scripts/setup.sh when the files are missing.
CenterNet load_pretrained_centernet(torch::Device device = torch::kCPU);

}  // namespace apiary::nn
