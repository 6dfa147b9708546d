#include "train/classifier_config.h"

#include <algorithm>
#include <cmath>

namespace apiary::train {

int choose_classifier_epochs(size_t train_images, int image_size, double time_budget_s) {
    const double n = double(std::max<size_t>(train_images, 1));
    const int epochs = std::clamp(static_cast<int>(std::lround(4000.0 / n)), 8, 40);
    // ~0.03 s per 224x224 training image (forward, backward, step) on the 2-core machine,
    // growing with the pixels; half the budget, since evaluation and decoding take time too.
    const double per_image_s = 0.03 * (double(image_size) * image_size) / (224.0 * 224.0);
    const double affordable = 0.5 * time_budget_s / (per_image_s * n);
    return affordable >= epochs ? epochs : std::max(5, static_cast<int>(affordable));
}

TrainConfig resolve_classifier_config(TrainConfig c, size_t train_images) {
    if (c.image_size <= 0) c.image_size = kClassifierImageSize;
    c.image_size = std::max(64, (c.image_size + 31) / 32 * 32);
    if (c.epochs <= 0) c.epochs = choose_classifier_epochs(train_images, c.image_size, c.time_budget_s);
    // As the detector's: 3e-4 left trash at chance after two epochs (loss above ln 6).
    if (c.lr <= 0) c.lr = 1e-4;
    if (c.augment == "auto") c.augment = "light";
    c.batch = std::max(1, c.batch);
    return c;
}

}  // namespace apiary::train
