#pragma once
// A trained model version on disk, one directory:
//   weights.pt      the network's parameters (torch serialisation)
//   model.json      labels, input size, per-label thresholds, metrics, training configuration,
//                   dataset hash, and the sha256 of every other file
//   evaluation.json full evaluation (see README); evaluation-summary.json (reference shape)
// model.json is written last and the directory is renamed into place, so a crash leaves either
// no version or a complete one; a damaged file is detected through its checksum on load.
#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "infer/model_manifest.h"
#include "nn/centernet.h"
#include "nn/classifier.h"

namespace apiary::infer {

struct LoadedModel {
    ModelManifest manifest;
    nn::CenterNet net{nullptr};            // set for object detection
    nn::Classifier classifier{nullptr};    // set for (multi-label) classification: manifest.classifies()
};

// Writes `net` and `manifest` (plus `extra_files`: name → content) as the directory `dir`.
void save_model(const std::filesystem::path& dir, nn::CenterNet& net, const ModelManifest& manifest,
                const std::map<std::string, std::string>& extra_files = {});

void save_model(const std::filesystem::path& dir, nn::Classifier& net, const ModelManifest& manifest,
                const std::map<std::string, std::string>& extra_files = {});

// Loads and checks a model directory; the network is on `device` in eval mode.
LoadedModel load_model(const std::filesystem::path& dir, torch::Device device);

// Weights alone (checkpoints): atomic write, and load into an existing network.
void save_weights(const std::filesystem::path& file, nn::CenterNet& net);
void load_weights(const std::filesystem::path& file, nn::CenterNet& net);
// Any network (the classifier's checkpoints): the same file format as torch::save of its holder.
void save_weights(const std::filesystem::path& file, torch::nn::Module& net);
void load_weights(const std::filesystem::path& file, torch::nn::Module& net);

}  // namespace apiary::infer
