#include "train/classifier_trainer.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "eval/classification.h"
#include "eval/evaluation.h"
#include "infer/classifier_run.h"
#include "nn/centernet_input.h"
#include "train/calibration_fit.h"
#include "train/checkpoint.h"
#include "train/classification_data.h"
#include "train/classifier_loss.h"
#include "train/linear_probe.h"
#include "train/optimiser.h"
#include "train/rgb_tensor.h"
#include "train/run_outcome.h"
#include "train/schedule.h"
#include "vision/whole_image_augment.h"

namespace apiary::train {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// What the validation measure is, named on the progress lines: the AP of each label's
// whole-image confidence over the validation images, averaged over labels (no boxes, no IoU).
constexpr const char* kValidationMetric = "mean AP";

void copy_parameters(torch::nn::Module& from, torch::nn::Module& to) {
    torch::NoGradGuard no_grad;
    auto dst = to.named_parameters();
    for (const auto& p : from.named_parameters()) dst[p.key()].copy_(p.value());
}

// The weight average the run delivers. Its horizon is a tenth of the run (at most 500 steps):
// a classifier's run is a few hundred steps, and a longer memory would still remember the
// barely trained first epochs at the end.
void update_average(torch::nn::Module& net, torch::nn::Module& ema, int64_t step, int64_t total_steps) {
    torch::NoGradGuard no_grad;
    const double horizon = std::clamp(double(total_steps) / 10.0, 10.0, 500.0);
    const double decay = std::min({1.0 - 1.0 / horizon, (1.0 + double(step)) / (10.0 + double(step))});
    auto dst = ema.named_parameters();
    for (const auto& p : net.named_parameters()) dst[p.key()].mul_(decay).add_(p.value().detach(), 1 - decay);
}

size_t below(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

std::string rng_text(const std::mt19937_64& rng) {
    std::ostringstream out;
    out << rng;
    return out.str();
}

std::vector<eval::ImageCase> classify_cached(nn::ClassifierImpl& net, const std::vector<LabelledImage>& images,
                                             const std::vector<std::string>& labels, int input_size) {
    std::vector<eval::ImageCase> cases;
    const size_t batch = 8;
    for (size_t i = 0; i < images.size(); i += batch) {
        std::vector<cv::Mat> mats;
        for (size_t j = i; j < std::min(images.size(), i + batch); ++j) mats.push_back(images[j].image);
        const auto probabilities = infer::run_classifier(net, mats, input_size);
        for (size_t j = 0; j < mats.size(); ++j) {
            const auto& img = images[i + j];
            std::vector<std::string> truth;
            for (int l : img.labels) truth.push_back(labels[size_t(l)]);
            cases.push_back(eval::classification_case(img.source_ref, img.width, img.height, truth, probabilities[j], labels));
        }
    }
    return cases;
}

}  // namespace

ClassifierTrainer::ClassifierTrainer(TrainConfig config, TrainingData data, bool multi_label, fs::path checkpoint_dir,
                                     torch::Device device)
    : config_(std::move(config)),
      data_(std::move(data)),
      multi_label_(multi_label),
      checkpoint_dir_(std::move(checkpoint_dir)),
      device_(device) {
    if (data_.labels.empty()) throw Error("nothing to train: the dataset has no labels");
    if (!multi_label_ && data_.labels.size() < 2)
        throw Error("a single-label classifier needs at least two labels, the dataset has " +
                    std::to_string(data_.labels.size()) + " ('" + data_.labels.front() + "')");
    if (data_.train.empty()) throw Error("nothing to train: the training dataset is empty");
}

ClassifierOutcome ClassifierTrainer::run(const TrainerCallbacks& callbacks, const std::atomic<bool>* stop, bool resume) {
    const auto started = Clock::now();
    const auto num_labels = static_cast<int64_t>(data_.labels.size());
    torch::manual_seed(config_.seed);

    const int size = config_.image_size;
    const auto train_images = cache_labelled_images(data_.train, data_.labels, size, multi_label_);
    const auto val_images = cache_labelled_images(data_.validation, data_.labels, size, multi_label_);
    // Weighted by the training images' label counts: the validation images fold in with the
    // same proportions (the split is stratified).
    const auto balance = class_balance_weights(train_images, size_t(num_labels), multi_label_);
    const torch::Tensor weights = torch::tensor(std::vector<float>(balance.begin(), balance.end())).to(device_);

    nn::Classifier net = nn::load_pretrained_classifier(num_labels, multi_label_, device_);
    // A resumed run takes its weights from the checkpoint.
    if (config_.head_start == "auto" && !resume) fit_linear_probe(*net, train_images, size, weights);
    nn::Classifier ema(num_labels, multi_label_);
    ema->to(device_);
    copy_parameters(*net, *ema);
    Optimiser optimiser(*net, config_, "head");

    const Checkpoint checkpoint(checkpoint_dir_);
    CheckpointState state;
    std::mt19937_64 rng(config_.seed);
    create_directories_durably(checkpoint_dir_);
    if (resume) {
        state = checkpoint.load({*net, *ema, optimiser.get()});
        std::istringstream(state.rng) >> rng;
    }

    const Schedule schedule = make_schedule(config_.epochs, config_.fold_in_epochs, train_images.size(),
                                            val_images.size(), config_.batch, config_.lr);
    std::vector<const LabelledImage*> held_out_pool, folded_in_pool;
    for (const auto& i : train_images) held_out_pool.push_back(&i);
    folded_in_pool = held_out_pool;
    for (const auto& i : val_images) folded_in_pool.push_back(&i);
    const auto augment = vision::WholeImageAugment::for_level(config_.augment);

    ClassifierOutcome outcome;
    outcome.fold_in_epochs = schedule.fold_in_epochs;
    const int first_epoch = state.epoch;
    double val_ap = state.history.empty() ? -1 : state.history.back().value("val_ap50", -1.0);
    const auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - started).count(); };
    const auto steps_from = [&](int epoch_index) {
        int64_t n = 0;
        for (int e = epoch_index; e < schedule.epochs; ++e) n += schedule.steps_in(e);
        return double(n);
    };

    while (state.epoch < schedule.epochs) {
        const int index = state.epoch;
        const bool folded = schedule.folded_in(index);
        const auto& pool = folded ? folded_in_pool : held_out_pool;
        std::vector<size_t> order(pool.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(rng, i)]);

        // Dropout draws from libtorch's generator, which the checkpoint does not hold: seeded per
        // epoch, a resumed run draws what the uninterrupted one did.
        torch::manual_seed(config_.seed * 1000003 + uint64_t(index));
        net->train();
        double loss_sum = 0;
        size_t steps_done = 0;
        const auto batch_size = size_t(config_.batch);
        const auto steps = size_t(schedule.steps_in(index));
        for (size_t s = 0; s < steps; ++s) {
            if (stop && stop->load()) {
                outcome.interrupted = true;
                break;
            }
            std::vector<torch::Tensor> inputs;
            std::vector<const LabelledImage*> batch;
            for (size_t k = s * batch_size; k < std::min(order.size(), (s + 1) * batch_size); ++k) {
                batch.push_back(pool[order[k]]);
                inputs.push_back(rgb_tensor(vision::augment_whole_image(batch.back()->image, size, augment, rng)));
            }
            optimiser.set_learning_rate(schedule.learning_rate(state.step));
            const auto logits = net->forward(nn::to_network_input(torch::stack(inputs), device_));
            const auto loss = classifier_loss(logits, batch, weights, multi_label_);
            const double value = loss.item<double>();
            if (!std::isfinite(value))
                throw Error("training diverged (loss " + std::to_string(value) + " at epoch " +
                            std::to_string(index + 1) + "); try a smaller --lr");
            optimiser.get().zero_grad();
            loss.backward();
            torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
            optimiser.get().step();
            update_average(*net, *ema, state.step, schedule.total_steps());
            ++state.step;
            loss_sum += value;
            ++steps_done;
            if (callbacks.on_step) {
                StepReport r;
                r.epoch = index + 1, r.epochs = schedule.epochs;
                r.step = s + 1, r.steps = steps;
                r.loss = loss_sum / double(steps_done);
                r.elapsed_s = elapsed();
                const double done = steps_from(first_epoch) - steps_from(index) + double(s + 1);
                r.eta_s = r.elapsed_s / done * (steps_from(index) - double(s + 1));
                r.val_ap50 = val_ap;
                r.metric = kValidationMetric;
                callbacks.on_step(r);
            }
        }
        if (outcome.interrupted) break;
        ++state.epoch;
        const double mean_loss = loss_sum / double(std::max<size_t>(steps_done, 1));

        // Measured while the validation images are unseen; the calibration fit at the last such epoch.
        bool calibrated = false;
        if (!folded && !val_images.empty()) {
            ema->eval();
            const auto cases = classify_cached(*ema, val_images, data_.labels, size);
            if (state.epoch == schedule.calibration_epoch()) {
                const CalibrationFit fit = fit_calibration(cases, data_.labels);
                val_ap = fit.validation_ap50;
                state.calibration = fit.to_json();
                calibrated = true;
            } else {
                val_ap = eval::evaluate(cases, data_.labels).ap50;
            }
        }
        state.history.push_back({{"epoch", state.epoch},
                                 {"loss", mean_loss},
                                 {"val_ap50", folded ? Json() : Json(val_ap)},
                                 {"folded_in", folded},
                                 {"lr", schedule.learning_rate(state.step)}});
        state.rng = rng_text(rng);
        checkpoint.save(state, config_, {*net, *ema, optimiser.get()});

        if (callbacks.on_epoch) {
            EpochReport r;
            r.epoch = state.epoch, r.epochs = schedule.epochs;
            r.loss = mean_loss;
            r.loss_parts = false;
            r.val_ap50 = folded || val_images.empty() ? -1 : val_ap;
            r.metric = kValidationMetric;
            r.calibrated = calibrated;
            r.folded_in = folded;
            r.elapsed_s = elapsed();
            r.eta_s = r.elapsed_s / (steps_from(first_epoch) - steps_from(state.epoch)) * steps_from(state.epoch);
            callbacks.on_epoch(r);
        }
    }

    finish_outcome(outcome, state, elapsed(), ema);
    return outcome;
}

}  // namespace apiary::train
