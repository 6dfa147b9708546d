#include "train/schedule.h"

#include <algorithm>
#include <cmath>

namespace apiary::train {

int64_t Schedule::total_steps() const {
    return int64_t(calibration_epoch()) * steps_held_out + int64_t(fold_in_epochs) * steps_folded_in;
}

double Schedule::learning_rate(int64_t step) const {
    if (step < warmup_steps) return base_lr * (0.1 + 0.9 * double(step) / double(warmup_steps));
    const double t = double(step - warmup_steps) / double(std::max<int64_t>(1, total_steps() - warmup_steps));
    return base_lr * (0.02 + 0.98 * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t))));
}

Schedule make_schedule(int epochs, int fold_in_requested, size_t train_images, size_t validation_images, int batch,
                       double base_lr) {
    Schedule s;
    s.epochs = std::max(1, epochs);
    if (validation_images > 0 && s.epochs > 1)
        s.fold_in_epochs = fold_in_requested < 0 ? std::max(1, s.epochs / 4) : std::min(fold_in_requested, s.epochs - 1);
    const auto steps = [&](size_t images) { return int64_t((images + size_t(batch) - 1) / size_t(batch)); };
    s.steps_held_out = steps(train_images);
    s.steps_folded_in = steps(train_images + validation_images);
    s.warmup_steps = std::min<int64_t>(s.total_steps() / 10 + 1, s.steps_held_out * 2);
    s.base_lr = base_lr;
    return s;
}

}  // namespace apiary::train
