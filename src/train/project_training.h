#pragma once
// `apiary train`: from a project's datasets to a stored, evaluated model version — the one
// library call the CLI (and later the service) makes.
#include <torch/torch.h>

#include <atomic>
#include <optional>
#include <string>

#include "eval/evaluation.h"
#include "store/catalog.h"
#include "train/trainer.h"

namespace apiary::train {

struct TrainRequest {
    std::string version_name;  // empty: "<project>.<UTC timestamp>"
    TrainConfig config;
    bool resume = false;       // continue the project's interrupted run
    torch::Device device = torch::kCPU;
};

struct TrainedVersion {
    store::VersionInfo version;
    TrainConfig config;        // as resolved
    TrainOutcome outcome;
    eval::Evaluation evaluation;  // on the test dataset (empty when interrupted)
    size_t train_images = 0, validation_images = 0, test_images = 0;
    bool split_created = false;   // the test dataset was carved out of train (80/20)
};

TrainedVersion train_project(store::Catalog& catalog, const std::string& project, const TrainRequest& request,
                             const TrainerCallbacks& callbacks = {}, const std::atomic<bool>* stop = nullptr);

// sha256 over the entries' source-refs, image digests and annotations, in a stable order.
std::string dataset_hash(const std::vector<data::Entry>& train, const std::vector<data::Entry>& test);

}  // namespace apiary::train
