#pragma once
// Everything a training run can be told. Zero/empty means "choose automatically from the data"
// (see auto_config.h): a user needs none of these knobs.
#include <cstdint>
#include <string>

#include "core/json.h"

namespace apiary::train {

struct TrainConfig {
    int epochs = 0;           // 0: from the dataset size and the time budget
    int image_size = 0;       // 0: from the objects' size statistics (multiple of 32)
    int batch = 8;
    double lr = 0;            // 0: 1e-4 for pretrained layers (the new head learns 5x faster)
    bool freeze_backbone = false;
    std::string augment = "auto";  // none, light, strong; auto: light
    uint64_t seed = 1;
    int threads = 0;          // 0: every core
    // Validation images, held out to measure the network and fit its confidence calibration,
    // then trained on for the last `fold_in_epochs` (-1: a quarter of the epochs; see schedule.h).
    double validation_percent = 15;
    int fold_in_epochs = -1;
    // Average each image with its mirror image at inference: twice the latency for little
    // accuracy once trained without it (kangaroo: AP50 0.918 / F1 0.906 without, BENCHMARKS.md).
    bool flip_test = false;
    // Small objects: each sample a random tile of this share of the image's longer side, and
    // inference over every tile beside the whole image (vision/tiles.h). -1: from the objects'
    // sizes (auto_config.h); 0: whole images only.
    double tile_fraction = -1;
    // How the new head starts. auto: a detector's label from the pretrained COCO class that
    // already detects it best, when one beats a fresh start (head_transfer.h); a classifier's
    // head fitted on the frozen features first (linear_probe.h). fresh: small random weights.
    std::string head_start = "auto";
    double time_budget_s = 300;  // the automatic epoch count stays near this (at least 8 epochs)

    Json to_json() const;
    static TrainConfig from_json(const Json& j);
    // `options` ({"epochs":3,...}, the keys of to_json) over `base`, each checked: an unknown
    // key, a wrong type or a value out of range throws Error naming `where`.KEY and the reason.
    static TrainConfig with_options(TrainConfig base, const Json& options, const std::string& where);
};

}  // namespace apiary::train
