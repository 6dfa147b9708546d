#include "train/auto_config.h"

#include <algorithm>
#include <cmath>

namespace apiary::train {

int choose_image_size(const std::vector<data::Entry>& train) {
    std::vector<double> relative;  // object short side / image long side, as the letterbox sees it
    for (const auto& e : train) {
        const double long_side = std::max(e.image.width, e.image.height);
        for (const auto& o : e.objects)
            if (long_side > 0) relative.push_back(std::min(o.box.width, o.box.height) / long_side);
    }
    if (relative.empty()) return 384;
    std::sort(relative.begin(), relative.end());
    const double p10 = relative[relative.size() / 10];
    const int wanted = static_cast<int>(std::ceil(20.0 / std::max(p10, 1e-3) / 32.0)) * 32;
    return std::clamp(wanted, 320, 640);
}

int choose_epochs(size_t train_images, int image_size, double time_budget_s) {
    // Measured on the 2-core reference machine (kangaroo, 320 px: 6 s for an epoch of 111
    // images): ~0.08 s per 384x384 image per training step, growing with the pixel count.
    const double per_image_s = 0.08 * (double(image_size) * image_size) / (384.0 * 384.0);
    const double epochs = time_budget_s / (per_image_s * std::max<size_t>(train_images, 1));
    return std::clamp(static_cast<int>(epochs), 8, 80);
}

TrainConfig resolve_config(TrainConfig c, const std::vector<data::Entry>& train) {
    if (c.image_size <= 0) c.image_size = choose_image_size(train);
    c.image_size = std::max(32, (c.image_size + 31) / 32 * 32);
    if (c.epochs <= 0) c.epochs = choose_epochs(train.size(), c.image_size, c.time_budget_s);
    if (c.lr <= 0) c.lr = 4e-4;
    if (c.augment == "auto") c.augment = train.size() < 1000 ? "strong" : "light";
    if (c.patience <= 0) c.patience = std::max(4, c.epochs / 4);
    c.batch = std::max(1, c.batch);
    return c;
}

}  // namespace apiary::train
