#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "infer/model_artifact.h"
#include "nn/centernet_import.h"
#include "nn/centernet_input.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"
#include "eval/evaluation.h"
#include "train/calibration_fit.h"
#include "train/checkpoint.h"
#include "train/image_cache.h"
#include "train/optimiser.h"
#include "train/run_outcome.h"
#include "train/head_transfer.h"
#include "train/rgb_tensor.h"
#include "train/schedule.h"
#include "vision/augment.h"
#include "vision/tiles.h"

namespace apiary::train {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void copy_parameters(nn::CenterNetImpl& from, nn::CenterNetImpl& to) {
    torch::NoGradGuard no_grad;
    auto src = from.named_parameters(), dst = to.named_parameters();
    for (auto& p : src) dst[p.key()].copy_(p.value());
    auto sb = from.named_buffers(), db = to.named_buffers();
    for (auto& b : sb) db[b.key()].copy_(b.value());
}

// Exponential moving average of the weights: the average is steadier than the last step, and
// worth a few AP points on small datasets. It is the network the run delivers.
void update_average(nn::CenterNetImpl& net, nn::CenterNetImpl& ema, int64_t step) {
    torch::NoGradGuard no_grad;
    const double decay = std::min(0.998, (1.0 + step) / (10.0 + step));
    auto src = net.named_parameters(), dst = ema.named_parameters();
    for (auto& p : src) dst[p.key()].mul_(decay).add_(p.value().detach(), 1 - decay);
}

// Unbiased index below n from the run's own generator (reproducible across libraries).
size_t below(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

struct EpochLoss {
    double total = 0, heatmap = 0, box = 0;
    size_t steps = 0;
    bool interrupted = false;
    double mean(double sum) const { return sum / double(std::max<size_t>(steps, 1)); }
};

// Everything one epoch of optimiser steps needs; run() owns it.
struct EpochContext {
    const TrainConfig& config;
    const Schedule& schedule;
    torch::Device device;
    int64_t num_classes;
    nn::CenterNet& net;
    nn::CenterNet& ema;
    Optimiser& optimiser;
    std::mt19937_64& rng;
    int64_t& step;
};

// With tiles, a sample is one random tile or, one time in (tiles + 1), the whole image, so the
// large objects the whole-image pass finds at inference are still learnt at its scale.
vision::TrainingSample draw_sample(const CachedImage& img, const TrainConfig& config,
                                   const vision::AugmentConfig& augment, std::mt19937_64& rng) {
    const int size = config.image_size;
    const size_t tiles = vision::tile_grid(img.image.cols, img.image.rows, config.tile_fraction).size();
    if (tiles == 0 || below(rng, tiles + 1) == 0) return vision::augment(img.image, img.boxes, img.labels, size, augment, rng);
    const cv::Rect tile = vision::random_tile(img.image.cols, img.image.rows, config.tile_fraction, rng);
    const auto shown = vision::boxes_in_tile(img.boxes, img.labels, tile);
    return vision::augment(img.image(tile), shown.boxes, shown.labels, size, augment, rng);
}

EpochLoss train_epoch(EpochContext& c, const std::vector<const CachedImage*>& pool, int epoch_index,
                      const std::atomic<bool>* stop, const std::function<void(size_t, const EpochLoss&)>& on_step) {
    const int size = c.config.image_size;
    const auto augment = vision::AugmentConfig::for_level(vision::parse_augment_level(c.config.augment));
    c.net->train();
    std::vector<size_t> order(pool.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(c.rng, i)]);

    EpochLoss loss;
    const auto batch = size_t(c.config.batch);
    const auto steps = size_t(c.schedule.steps_in(epoch_index));
    for (size_t s = 0; s < steps; ++s) {
        if (stop && stop->load()) {
            loss.interrupted = true;
            break;
        }
        std::vector<torch::Tensor> inputs;
        std::vector<std::vector<Box>> boxes;
        std::vector<std::vector<int64_t>> labels;
        for (size_t k = s * batch; k < std::min(order.size(), (s + 1) * batch); ++k) {
            auto sample = draw_sample(*pool[order[k]], c.config, augment, c.rng);
            inputs.push_back(rgb_tensor(sample.image));
            boxes.push_back(sample.boxes);
            labels.emplace_back(sample.labels.begin(), sample.labels.end());
        }
        const auto input = nn::to_network_input(torch::stack(inputs), c.device);
        auto targets = nn::encode_targets(boxes, labels, c.num_classes, size, size);
        targets.heatmap = targets.heatmap.to(c.device);
        targets.boxes = targets.boxes.to(c.device);
        targets.box_weight = targets.box_weight.to(c.device);

        c.optimiser.set_learning_rate(c.schedule.learning_rate(c.step));
        const auto l = nn::centernet_loss(c.net->forward(input), targets);
        const double value = l.total.item<double>();
        if (!std::isfinite(value))
            throw Error("training diverged (loss " + std::to_string(value) + " at epoch " +
                        std::to_string(epoch_index + 1) + "); try a smaller --lr");
        c.optimiser.get().zero_grad();
        l.total.backward();
        torch::nn::utils::clip_grad_norm_(c.net->parameters(), 10.0);
        c.optimiser.get().step();
        update_average(*c.net, *c.ema, c.step);
        ++c.step;

        loss.total += value;
        loss.heatmap += l.heatmap.item<double>();
        loss.box += l.box.item<double>();
        ++loss.steps;
        if (on_step) on_step(s + 1, loss);
    }
    return loss;
}

std::string rng_text(const std::mt19937_64& rng) {
    std::ostringstream out;
    out << rng;
    return out.str();
}

}  // namespace

bool has_checkpoint(const fs::path& dir) { return Checkpoint(dir).exists(); }

Trainer::Trainer(TrainConfig config, TrainingData data, fs::path checkpoint_dir, torch::Device device)
    : config_(std::move(config)), data_(std::move(data)), checkpoint_dir_(std::move(checkpoint_dir)), device_(device) {
    if (data_.labels.empty()) throw Error("nothing to train: the dataset has no labels");
    if (data_.train.empty()) throw Error("nothing to train: the training dataset is empty");
}

TrainOutcome Trainer::run(const TrainerCallbacks& callbacks, const std::atomic<bool>* stop, bool resume) {
    const auto started = Clock::now();
    const auto num_classes = static_cast<int64_t>(data_.labels.size());
    torch::manual_seed(config_.seed);

    const auto train_images = cache_images(data_.train, data_.labels, config_.image_size, config_.tile_fraction);
    const auto val_images = cache_images(data_.validation, data_.labels, config_.image_size, config_.tile_fraction);

    nn::CenterNet net = nn::load_pretrained_centernet(device_);
    // A resumed run takes its weights from the checkpoint: the start it chose is recorded there.
    HeadTransfer transfer;
    if (config_.head_start == "auto" && !resume)
        transfer = choose_head_transfer(*net, train_images, size_t(num_classes), config_.image_size);
    net->replace_heatmap_head(num_classes, transfer.start_from);
    net->to(device_);
    nn::CenterNet ema(num_classes);
    ema->to(device_);
    copy_parameters(*net, *ema);
    Optimiser optimiser(*net, config_);

    const Checkpoint checkpoint(checkpoint_dir_);
    CheckpointState state;
    if (!transfer.start_from.empty()) state.head_start = transfer.to_json(data_.labels);
    std::mt19937_64 rng(config_.seed);
    create_directories_durably(checkpoint_dir_);
    if (resume) {
        state = checkpoint.load({net, ema, optimiser.get()});
        std::istringstream(state.rng) >> rng;
    }
    const Schedule schedule = make_schedule(config_.epochs, config_.fold_in_epochs, train_images.size(),
                                            val_images.size(), config_.batch, config_.lr);
    std::vector<const CachedImage*> held_out_pool, folded_in_pool;
    for (const auto& i : train_images) held_out_pool.push_back(&i);
    folded_in_pool = held_out_pool;
    for (const auto& i : val_images) folded_in_pool.push_back(&i);

    TrainOutcome outcome;
    outcome.fold_in_epochs = schedule.fold_in_epochs;
    EpochContext context{config_, schedule, device_, num_classes, net, ema, optimiser, rng, state.step};
    const int first_epoch = state.epoch;
    double val_ap50 = state.history.empty() ? -1 : state.history.back().value("val_ap50", -1.0);
    const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    // Steps left in the run, for the ETA: epochs differ in length once validation folds in.
    const auto steps_from = [&](int epoch_index) {
        int64_t n = 0;
        for (int e = epoch_index; e < schedule.epochs; ++e) n += schedule.steps_in(e);
        return double(n);
    };

    while (state.epoch < schedule.epochs) {
        const int index = state.epoch;
        const bool folded = schedule.folded_in(index);
        const auto on_step = [&](size_t s, const EpochLoss& loss) {
            if (!callbacks.on_step) return;
            StepReport r;
            r.epoch = index + 1, r.epochs = schedule.epochs;
            r.step = s, r.steps = size_t(schedule.steps_in(index));
            r.loss = loss.mean(loss.total);
            r.elapsed_s = elapsed();
            const double done = steps_from(first_epoch) - steps_from(index) + double(s);
            r.eta_s = r.elapsed_s / done * (steps_from(index) - double(s));
            r.val_ap50 = val_ap50;
            callbacks.on_step(r);
        };
        const EpochLoss loss = train_epoch(context, folded ? folded_in_pool : held_out_pool, index, stop, on_step);
        if (loss.interrupted) {
            outcome.interrupted = true;
            break;
        }
        ++state.epoch;

        // Measured while the validation images are still unseen; the fit at the last such epoch.
        bool calibrated = false;
        if (!folded && !val_images.empty()) {
            ema->eval();
            const auto cases = detect_cached(*ema, val_images, data_.labels, config_.image_size, data_.max_detections,
                                             config_.tile_fraction);
            if (state.epoch == schedule.calibration_epoch()) {
                const CalibrationFit fit = fit_calibration(cases, data_.labels);
                val_ap50 = fit.validation_ap50;
                state.calibration = fit.to_json();
                calibrated = true;
            } else {
                val_ap50 = eval::evaluate(cases, data_.labels).ap50;
            }
        }
        state.history.push_back({{"epoch", state.epoch},
                                 {"loss", loss.mean(loss.total)},
                                 {"heatmap_loss", loss.mean(loss.heatmap)},
                                 {"box_loss", loss.mean(loss.box)},
                                 {"val_ap50", folded ? Json() : Json(val_ap50)},
                                 {"folded_in", folded},
                                 {"lr", schedule.learning_rate(state.step)}});
        state.rng = rng_text(rng);
        checkpoint.save(state, config_, {net, ema, optimiser.get()});

        if (callbacks.on_epoch) {
            EpochReport r;
            r.epoch = state.epoch, r.epochs = schedule.epochs;
            r.loss = loss.mean(loss.total), r.heatmap_loss = loss.mean(loss.heatmap), r.box_loss = loss.mean(loss.box);
            r.val_ap50 = folded || val_images.empty() ? -1 : val_ap50;
            r.calibrated = calibrated;
            r.folded_in = folded;
            r.elapsed_s = elapsed();
            r.eta_s = r.elapsed_s / (steps_from(first_epoch) - steps_from(state.epoch)) * steps_from(state.epoch);
            callbacks.on_epoch(r);
        }
    }

    finish_outcome(outcome, state, elapsed(), ema);
    outcome.head_start = state.head_start;
    return outcome;
}

}  // namespace apiary::train
