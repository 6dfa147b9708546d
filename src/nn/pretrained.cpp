#include "nn/pretrained.h"

#include <cstdlib>

#include "core/error.h"

namespace apiary::nn {
namespace fs = std::filesystem;

fs::path apiary_cache_dir() {
    if (const char* cache = std::getenv("APIARY_CACHE"); cache && *cache) return cache;
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : ".") / ".cache" / "apiary";
}

fs::path pretrained_models_dir() { return apiary_cache_dir() / "human-models-3.0.4"; }

fs::path pretrained_model_json(const std::string& name) {
    const fs::path json = pretrained_models_dir() / (name + ".json");
    const fs::path bin = pretrained_models_dir() / (name + ".bin");
    for (const auto& file : {json, bin}) {
        if (!fs::is_regular_file(file))
            throw Error(Location{file.string()},
                        "pretrained model '" + name +
                            "' is missing; run scripts/setup.sh (or scripts/fetch-weights.sh) to download it "
                            "(set APIARY_CACHE to use another cache folder)");
    }
    return json;
}

}  // namespace apiary::nn
