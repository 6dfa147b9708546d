#include "train/auto_config.h"

#include <algorithm>
#include <cmath>

namespace apiary::train {

namespace {
constexpr int kLargestInput = 640;
}  // namespace

int wanted_input_size(const std::vector<data::Entry>& train) {
    std::vector<double> relative;  // object short side / image long side, as the letterbox sees it
    for (const auto& e : train) {
        const double long_side = std::max(e.image.width, e.image.height);
        for (const auto& o : e.objects)
            if (long_side > 0) relative.push_back(std::min(o.box.width, o.box.height) / long_side);
    }
    if (relative.empty()) return 0;
    std::sort(relative.begin(), relative.end());
    const double p10 = relative[relative.size() / 10];
    return static_cast<int>(std::ceil(20.0 / std::max(p10, 1e-3) / 32.0)) * 32;
}

int choose_image_size(const std::vector<data::Entry>& train) {
    const int wanted = wanted_input_size(train);
    if (wanted == 0) return 512;
    // Large objects: 448 px. Measured with the fixed 12-epoch schedule on kangaroo (BENCHMARKS.md,
    // issue 10): AP50 0.949 at 448 px, 0.919 at 384 px (0.918 with 16 epochs), at 448 px in
    // about 180 s of training; 320 px lost more (0.85).
    return std::clamp(wanted, 448, kLargestInput);
}

double choose_tile_fraction(const std::vector<data::Entry>& train, int image_size) {
    const int wanted = wanted_input_size(train);
    // Up to 1.25x what the input gives, objects still span ~16 input pixels, which CenterNet's
    // stride-4 heatmap finds; beyond that, tiles of image_size / wanted of the longer side show
    // them at the wanted scale (at most 10 tiles a side).
    if (wanted <= 1.25 * image_size) return 0;
    return std::max(0.1, double(image_size) / wanted);
}

int choose_epochs(size_t train_images, int image_size, double time_budget_s) {
    // About 1,350 training images seen, whatever the dataset's size (kangaroo: 12 epochs of 111;
    // 16 epochs gave no more, BENCHMARKS.md), never fewer than 8 epochs nor more than 30.
    const double n = double(std::max<size_t>(train_images, 1));
    int epochs = std::clamp(static_cast<int>(std::lround(1350.0 / n)), 8, 30);
    // Large or big-input datasets: fewer, down to the 8, to stay near the time budget. Measured on
    // the 2-core reference machine: ~0.08 s per 384x384 training image, growing with the pixels.
    const double per_image_s = 0.08 * (double(image_size) * image_size) / (384.0 * 384.0);
    const double affordable = time_budget_s / (per_image_s * n);
    return affordable >= epochs ? epochs : std::max(8, static_cast<int>(affordable));
}

int choose_max_detections(const std::vector<data::Entry>& train) {
    size_t densest = 0;
    for (const auto& e : train) densest = std::max(densest, e.objects.size());
    return static_cast<int>(std::clamp<size_t>(2 * densest, 100, 5000));
}

TrainConfig resolve_config(TrainConfig c, const std::vector<data::Entry>& train) {
    if (c.image_size <= 0) c.image_size = choose_image_size(train);
    c.image_size = std::max(32, (c.image_size + 31) / 32 * 32);
    if (c.tile_fraction < 0) c.tile_fraction = choose_tile_fraction(train, c.image_size);
    if (c.epochs <= 0) c.epochs = choose_epochs(train.size(), c.image_size, c.time_budget_s);
    // Measured on kangaroo: 4e-4 with strong augmentation lost the pretrained features in the
    // first epochs (test AP50 0.70); 1e-4 with light augmentation reached 0.94.
    if (c.lr <= 0) c.lr = 1e-4;
    if (c.augment == "auto") c.augment = "light";
    c.batch = std::max(1, c.batch);
    return c;
}

}  // namespace apiary::train
