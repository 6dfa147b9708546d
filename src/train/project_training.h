#pragma once
// `apiary train` and `apiary evaluate`: from a project's datasets to a stored, evaluated model
// version — the library calls the CLI (and later the service) make. No libtorch in this header.
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"
#include "store/catalog.h"
#include "train/progress_report.h"
#include "train/train_config.h"

namespace apiary::train {

struct TrainRequest {
    std::string version_name;  // empty: "<project>.<UTC timestamp>"
    TrainConfig config;
    bool resume = false;       // continue the project's interrupted run
    // Train into `version_name`, a version already created (TRAINING_IN_PROGRESS) by
    // create_pending_version — the service answers CreateProjectVersion before training
    // starts. Its checkpoint, if any, is resumed.
    bool into_existing_version = false;
    std::string device;        // "cpu", "cuda", ...; empty: the default device
    // The version's own copy of its data (the service takes one at CreateProjectVersion); unset:
    // the project's datasets, the test set split off the training data 80/20 if there is none.
    struct Data {
        data::TaskType task = data::TaskType::ObjectDetection;
        std::vector<data::Entry> train, test;
    };
    std::optional<Data> data;
};

struct TrainSummary {
    store::VersionInfo version;
    TrainConfig config;  // as resolved
    int epochs_run = 0;
    int fold_in_epochs = 0;     // the last epochs, trained on the validation images too
    Json calibration_fit;       // what the calibration was fitted on (null: no validation images)
    double seconds = 0;
    bool interrupted = false;   // checkpoint kept; resume with TrainRequest::resume
    bool split_created = false; // the test dataset was carved out of train (80/20)
    size_t train_images = 0, validation_images = 0, test_images = 0;
    Json evaluation = Json::object();  // eval::Evaluation::to_json() on the test dataset
};

// Creates the version row a later train_project(into_existing_version) trains into.
store::VersionInfo create_pending_version(store::Catalog& catalog, const std::string& project,
                                          const std::string& version_name, const TrainConfig& config);

// Ends a version that is training or queued: TRAINING_FAILED with `message`, its checkpoint gone.
void cancel_training(store::Catalog& catalog, const store::VersionInfo& version, const std::string& message);

TrainSummary train_project(store::Catalog& catalog, const std::string& project, const TrainRequest& request,
                           const TrainerCallbacks& callbacks = {}, const std::atomic<bool>* stop = nullptr);

struct EvaluateRequest {
    std::string version;  // name or ARN; empty: the newest trained version
    // Entries to evaluate on; unset: the project's test dataset, with calibrated thresholds.
    // Given (another dataset), the model's own thresholds apply.
    std::optional<std::vector<data::Entry>> entries;
    std::string device;
};

struct EvaluateSummary {
    store::VersionInfo version;
    size_t images = 0;
    Json evaluation;
};

EvaluateSummary evaluate_version(store::Catalog& catalog, const std::string& project, const EvaluateRequest& request);

// sha256 over the entries' source-refs, image digests and annotations, in a stable order.
std::string dataset_hash(const std::vector<data::Entry>& train, const std::vector<data::Entry>& test);

}  // namespace apiary::train
