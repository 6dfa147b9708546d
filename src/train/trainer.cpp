#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/files.h"
#include "eval/evaluation.h"
#include "infer/detector_run.h"
#include "infer/model_artifact.h"
#include "nn/centernet_import.h"
#include "nn/centernet_input.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"
#include "train/image_cache.h"
#include "vision/augment.h"

#include <opencv2/imgproc.hpp>

namespace apiary::train {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const char* kState = "state.json";

void copy_parameters(nn::CenterNetImpl& from, nn::CenterNetImpl& to) {
    torch::NoGradGuard no_grad;
    auto src = from.named_parameters(), dst = to.named_parameters();
    for (auto& p : src) dst[p.key()].copy_(p.value());
    auto sb = from.named_buffers(), db = to.named_buffers();
    for (auto& b : sb) db[b.key()].copy_(b.value());
}

// Exponential moving average of the weights: evaluating the average is steadier than the last
// step, and worth a few AP points on small datasets.
class WeightAverage {
public:
    explicit WeightAverage(nn::CenterNetImpl& net) : net_(net) {}
    void update(nn::CenterNetImpl& ema, int64_t step) {
        torch::NoGradGuard no_grad;
        const double decay = std::min(0.998, (1.0 + step) / (10.0 + step));
        auto src = net_.named_parameters(), dst = ema.named_parameters();
        for (auto& p : src) dst[p.key()].mul_(decay).add_(p.value().detach(), 1 - decay);
    }

private:
    nn::CenterNetImpl& net_;
};

double learning_rate_at(int64_t step, int64_t total, int64_t warmup, double base) {
    if (step < warmup) return base * (0.1 + 0.9 * double(step) / double(warmup));
    const double t = double(step - warmup) / double(std::max<int64_t>(1, total - warmup));
    return base * (0.02 + 0.98 * 0.5 * (1 + std::cos(M_PI * std::min(1.0, t))));
}

// Unbiased index below n from the run's own generator (reproducible across libraries).
size_t below(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

torch::Tensor to_rgb_tensor(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8).permute({2, 0, 1}).clone();
}

double validation_ap50(nn::CenterNetImpl& net, const std::vector<CachedImage>& images,
                       const std::vector<std::string>& labels, int input_size, int max_detections) {
    net.eval();
    std::vector<eval::ImageCase> cases;
    infer::RunOptions run;
    run.input_size = input_size;
    run.top_k = max_detections;
    const size_t batch = 4;
    for (size_t i = 0; i < images.size(); i += batch) {
        std::vector<cv::Mat> mats;
        for (size_t j = i; j < std::min(images.size(), i + batch); ++j) mats.push_back(images[j].image);
        const auto detections = infer::run_detector(net, mats, run);
        for (size_t j = 0; j < mats.size(); ++j) {
            const auto& img = images[i + j];
            eval::ImageCase c;
            c.image = img.source_ref;
            for (size_t k = 0; k < img.boxes.size(); ++k) c.truth.push_back({labels[size_t(img.labels[k])], img.boxes[k]});
            for (const auto& d : detections[j]) c.detections.push_back({labels[size_t(d.class_id)], d.box, d.score});
            cases.push_back(std::move(c));
        }
    }
    return eval::evaluate(cases, labels).ap50;
}

struct RunState {
    int epoch = 0;  // epochs completed
    int64_t step = 0;
    double best_ap50 = -1;
    int best_epoch = 0;
    int stale_epochs = 0;
    std::string rng;
    Json history = Json::array();
};

Json state_json(const RunState& s, const TrainConfig& c) {
    return {{"epoch", s.epoch},      {"step", s.step},       {"best_ap50", s.best_ap50}, {"best_epoch", s.best_epoch},
            {"stale_epochs", s.stale_epochs}, {"rng", s.rng}, {"history", s.history},    {"config", c.to_json()}};
}

}  // namespace

bool has_checkpoint(const fs::path& dir) { return fs::exists(dir / kState); }

Trainer::Trainer(TrainConfig config, TrainingData data, fs::path checkpoint_dir, torch::Device device)
    : config_(std::move(config)), data_(std::move(data)), checkpoint_dir_(std::move(checkpoint_dir)), device_(device) {
    if (data_.labels.empty()) throw Error("nothing to train: the dataset has no labels");
    if (data_.train.empty()) throw Error("nothing to train: the training dataset is empty");
}

TrainOutcome Trainer::run(const TrainerCallbacks& callbacks, const std::atomic<bool>* stop, bool resume) {
    const auto started = Clock::now();
    const int size = config_.image_size;
    const auto num_classes = static_cast<int64_t>(data_.labels.size());
    torch::manual_seed(config_.seed);

    nn::CenterNet net = nn::load_pretrained_centernet(device_);
    net->replace_heatmap_head(num_classes);
    net->to(device_);
    nn::CenterNet ema(num_classes);
    ema->to(device_);
    copy_parameters(*net, *ema);
    WeightAverage average(*net);

    // Parameter groups: the new classifier learns faster than the pretrained layers.
    std::vector<torch::Tensor> head, body;
    for (auto& p : net->named_parameters()) {
        const bool in_backbone = p.key().rfind("backbone.", 0) == 0;
        if (config_.freeze_backbone && in_backbone) {
            p.value().set_requires_grad(false);
            continue;
        }
        (p.key().rfind("heatmap_head.classifier", 0) == 0 ? head : body).push_back(p.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    // Each group carries its own options: libtorch does not fill a group's from the defaults.
    const auto options = [](double lr) { return std::make_unique<torch::optim::AdamWOptions>(lr); };
    groups.emplace_back(body, options(config_.lr));
    groups.emplace_back(head, options(config_.lr * 5));
    for (auto& g : groups) static_cast<torch::optim::AdamWOptions&>(g.options()).weight_decay(1e-4);
    torch::optim::AdamW optimizer(std::move(groups), torch::optim::AdamWOptions(config_.lr).weight_decay(1e-4));
    const std::vector<double> group_scale = {1.0, 5.0};

    RunState state;
    std::mt19937_64 rng(config_.seed);
    fs::create_directories(checkpoint_dir_);
    if (resume) {
        if (!has_checkpoint(checkpoint_dir_)) throw Error(Location{checkpoint_dir_.string()}, "no checkpoint to resume from");
        const Json s = Json::parse(read_file(checkpoint_dir_ / kState));
        state.epoch = s.at("epoch");
        state.step = s.at("step");
        state.best_ap50 = s.at("best_ap50");
        state.best_epoch = s.at("best_epoch");
        state.stale_epochs = s.at("stale_epochs");
        state.history = s.at("history");
        std::istringstream(s.at("rng").get<std::string>()) >> rng;
        infer::load_weights(checkpoint_dir_ / "last.pt", net);
        infer::load_weights(checkpoint_dir_ / "ema.pt", ema);
        torch::load(optimizer, (checkpoint_dir_ / "optimizer.pt").string());
    }

    const auto train_images = cache_images(data_.train, data_.labels, size);
    const auto val_images = cache_images(data_.validation.empty() ? data_.train : data_.validation, data_.labels, size);
    const auto augment = vision::AugmentConfig::for_level(vision::parse_augment_level(config_.augment));

    const size_t steps_per_epoch = (train_images.size() + size_t(config_.batch) - 1) / size_t(config_.batch);
    const int64_t total_steps = int64_t(steps_per_epoch) * config_.epochs;
    const int64_t warmup = std::min<int64_t>(total_steps / 10 + 1, int64_t(steps_per_epoch) * 2);
    const auto run_started_epoch = state.epoch;

    TrainOutcome outcome;
    while (state.epoch < config_.epochs) {
        net->train();
        std::vector<size_t> order(train_images.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[below(rng, i)]);

        double loss_sum = 0, heat_sum = 0, box_sum = 0;
        size_t counted = 0;
        for (size_t s = 0; s < steps_per_epoch; ++s) {
            if (stop && stop->load()) {
                outcome.interrupted = true;
                break;
            }
            std::vector<torch::Tensor> inputs;
            std::vector<std::vector<Box>> boxes;
            std::vector<std::vector<int64_t>> labels;
            for (size_t k = s * size_t(config_.batch); k < std::min(order.size(), (s + 1) * size_t(config_.batch)); ++k) {
                const auto& img = train_images[order[k]];
                auto sample = vision::augment(img.image, img.boxes, img.labels, size, augment, rng);
                inputs.push_back(to_rgb_tensor(sample.image));
                boxes.push_back(sample.boxes);
                labels.emplace_back(sample.labels.begin(), sample.labels.end());
            }
            const auto input = nn::to_network_input(torch::stack(inputs), device_);
            auto targets = nn::encode_targets(boxes, labels, num_classes, size, size);
            targets.heatmap = targets.heatmap.to(device_);
            targets.boxes = targets.boxes.to(device_);
            targets.box_weight = targets.box_weight.to(device_);

            const double lr = learning_rate_at(state.step, total_steps, warmup, config_.lr);
            for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
                static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[g].options()).lr(lr * group_scale[g]);

            const auto loss = nn::centernet_loss(net->forward(input), targets);
            const double value = loss.total.item<double>();
            if (!std::isfinite(value))
                throw Error("training diverged (loss " + std::to_string(value) + " at epoch " +
                            std::to_string(state.epoch + 1) + "); try a smaller --lr");
            optimizer.zero_grad();
            loss.total.backward();
            torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
            optimizer.step();
            average.update(*ema, state.step);
            ++state.step;

            loss_sum += value;
            heat_sum += loss.heatmap.item<double>();
            box_sum += loss.box.item<double>();
            ++counted;
            if (callbacks.on_step) {
                StepReport r;
                r.epoch = state.epoch + 1, r.epochs = config_.epochs;
                r.step = s + 1, r.steps = steps_per_epoch;
                r.loss = loss_sum / double(counted);
                r.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
                const double done = double(state.epoch - run_started_epoch) * double(steps_per_epoch) + double(s + 1);
                const double left = double(config_.epochs - state.epoch) * double(steps_per_epoch) - double(s + 1);
                r.eta_s = r.elapsed_s / done * left;
                r.best_ap50 = state.best_ap50;
                callbacks.on_step(r);
            }
        }
        if (outcome.interrupted) break;

        const double ap50 = validation_ap50(*ema, val_images, data_.labels, size, data_.max_detections);
        ++state.epoch;
        const bool improved = ap50 > state.best_ap50 + 1e-9;
        if (improved) {
            state.best_ap50 = ap50;
            state.best_epoch = state.epoch;
            state.stale_epochs = 0;
            infer::save_weights(checkpoint_dir_ / "best.pt", ema);
        } else {
            ++state.stale_epochs;
        }
        const double n = double(std::max<size_t>(counted, 1));
        state.history.push_back({{"epoch", state.epoch},
                                 {"loss", loss_sum / n},
                                 {"heatmap_loss", heat_sum / n},
                                 {"box_loss", box_sum / n},
                                 {"val_ap50", ap50},
                                 {"lr", learning_rate_at(state.step, total_steps, warmup, config_.lr)}});
        std::ostringstream rng_state;
        rng_state << rng;
        state.rng = rng_state.str();
        infer::save_weights(checkpoint_dir_ / "last.pt", net);
        infer::save_weights(checkpoint_dir_ / "ema.pt", ema);
        // Durable like the weights beside it: a resumed run must not find a torn optimizer state.
        write_file_atomic_with(checkpoint_dir_ / "optimizer.pt",
                               [&](const fs::path& temporary) { torch::save(optimizer, temporary.string()); });
        write_file_atomic(checkpoint_dir_ / kState, state_json(state, config_).dump(2));

        if (callbacks.on_epoch) {
            EpochReport r;
            r.epoch = state.epoch, r.epochs = config_.epochs;
            r.loss = loss_sum / n, r.heatmap_loss = heat_sum / n, r.box_loss = box_sum / n;
            r.val_ap50 = ap50, r.best_ap50 = state.best_ap50, r.best_epoch = state.best_epoch;
            r.improved = improved;
            r.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
            r.eta_s = r.elapsed_s / double(state.epoch - run_started_epoch) * double(config_.epochs - state.epoch);
            callbacks.on_epoch(r);
        }
        // Validation sets are small and noisy, and the cosine schedule does its best work late:
        // never stop in the first half.
        if (state.stale_epochs >= config_.patience && state.epoch >= config_.epochs / 2) {
            outcome.stopped_early = true;
            break;
        }
    }

    outcome.epochs_run = state.epoch;
    outcome.best_epoch = state.best_epoch;
    outcome.best_val_ap50 = state.best_ap50;
    outcome.history = state.history;
    outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (!outcome.interrupted) {
        outcome.net = nn::CenterNet(num_classes);
        infer::load_weights(checkpoint_dir_ / "best.pt", outcome.net);
        outcome.net->to(device_);
        outcome.net->eval();
    }
    return outcome;
}

}  // namespace apiary::train
