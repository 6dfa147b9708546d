#pragma once
// The fixed training schedule: one warm-up + cosine learning-rate curve over every step, and
// the "fold-in" tail. Validation images are held out for the first epochs only — long enough to
// measure the network on images it has not seen and fit its confidence calibration there — and
// join the training images for the last epochs, so a small dataset does not lose 15% of its
// images for good. No early stopping and no best-epoch choice: on ~20 validation images AP50
// saturates at 1.0 within a few epochs and stops telling epochs apart (issue 10).
#include <cstddef>
#include <cstdint>

namespace apiary::train {

struct Schedule {
    int epochs = 0;          // in all
    int fold_in_epochs = 0;  // the last ones, on training + validation images
    int64_t steps_held_out = 0, steps_folded_in = 0;  // optimiser steps per epoch of each phase
    int64_t warmup_steps = 0;
    double base_lr = 0;

    int calibration_epoch() const { return epochs - fold_in_epochs; }  // fit after this epoch
    bool folded_in(int epoch_index) const { return epoch_index >= calibration_epoch(); }  // 0-based
    int64_t steps_in(int epoch_index) const { return folded_in(epoch_index) ? steps_folded_in : steps_held_out; }
    int64_t total_steps() const;
    double learning_rate(int64_t step) const;
};

// `fold_in_requested` < 0: automatic (a quarter of the epochs, at least one, when there are
// validation images); otherwise as given, at most epochs - 1. Without validation images: 0.
Schedule make_schedule(int epochs, int fold_in_requested, size_t train_images, size_t validation_images,
                       int batch, double base_lr);

}  // namespace apiary::train
