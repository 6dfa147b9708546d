#include "train/project_training.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "core/arn.h"
#include "core/error.h"
#include "core/hash.h"
#include "data/label_split.h"
#include "data/split.h"
#include "eval/reference_summary.h"
#include "infer/device.h"
#include "infer/model_artifact.h"
#include "nn/runtime.h"
#include "store/catalog.h"
#include "train/auto_config.h"
#include "train/classification_data.h"
#include "train/classifier_config.h"
#include "train/classifier_evaluation.h"
#include "train/classifier_publish.h"
#include "train/classifier_trainer.h"
#include "train/model_evaluation.h"
#include "train/run_outcome.h"
#include "train/trainer.h"

namespace apiary::train {
namespace fs = std::filesystem;

namespace {

std::string default_version_name(const std::string& project) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H.%M.%S", std::gmtime(&now));
    return project + "." + stamp;
}

std::vector<std::string> label_set(const std::vector<data::Entry>& entries) {
    std::set<std::string> names;
    for (const auto& e : entries)
        for (const auto& o : e.objects) names.insert(o.label);
    return {names.begin(), names.end()};
}

fs::path checkpoint_dir(const store::Catalog& catalog, const store::VersionInfo& v) {
    return catalog.dir().models() / v.project / ".checkpoints" / v.name;
}

}  // namespace

std::string dataset_hash(const std::vector<data::Entry>& train, const std::vector<data::Entry>& test) {
    std::vector<std::string> lines;
    for (const auto* set : {&train, &test})
        for (const auto& e : *set) {
            std::string line = (set == &test ? "test " : "train ") + e.source_ref + " " + e.sha256;
            for (const auto& o : e.objects)
                line += " " + o.label + ":" + std::to_string(o.box.left) + "," + std::to_string(o.box.top) + "," +
                        std::to_string(o.box.width) + "," + std::to_string(o.box.height);
            for (const auto& l : e.labels) line += " image:" + l;
            lines.push_back(line);
        }
    std::sort(lines.begin(), lines.end());
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    return sha256_hex(all);
}

store::VersionInfo create_pending_version(store::Catalog& catalog, const std::string& project,
                                          const std::string& version_name, const TrainConfig& config) {
    return catalog.create_version(catalog.project(project),
                                  version_name.empty() ? default_version_name(project) : version_name,
                                  config.to_json());
}

namespace {

// The version a run trains into and the checkpoint it resumes, if any.
struct Target {
    std::optional<store::VersionInfo> resumed, pending;
};

Target find_target(store::Catalog& catalog, const store::ProjectInfo& project, const TrainRequest& request) {
    Target t;
    if (request.into_existing_version) {
        t.pending = catalog.version(project, request.version_name);
        if (t.pending->status != store::VersionStatus::TrainingInProgress)
            throw Conflict("model version '" + t.pending->name + "' is " + to_string(t.pending->status) +
                           ", not in training");
        if (has_checkpoint(checkpoint_dir(catalog, *t.pending))) t.resumed = t.pending;
    } else if (request.resume) {
        for (auto& v : catalog.versions(project))
            if (v.status == store::VersionStatus::TrainingInProgress && has_checkpoint(checkpoint_dir(catalog, v))) {
                t.resumed = v;
                break;
            }
        if (!t.resumed) throw NotFound("project '" + project.name + "' has no interrupted training to resume");
    }
    return t;
}

// No test dataset: split the training data 80/20, as the reference service does; a
// single-label classification dataset in proportion to each label's images.
bool ensure_test_split(store::Catalog& catalog, const store::ProjectInfo& project, uint64_t seed,
                       data::TaskType task) {
    const auto test_ds = catalog.find_dataset(project, "test");
    if (test_ds && test_ds->entries > 0) return false;
    auto all = catalog.entries(catalog.dataset(project, "train"));
    if (task == data::TaskType::Classification) data::label_stratified_split(all, 20, seed);
    else data::stratified_split(all, 20, seed);
    catalog.redistribute(project, all);
    return true;
}

// Validation comes out of the training data only: the test set is never looked at while
// training. Datasets under 20 images have no validation images (and so no calibration).
TrainingData training_data(const std::vector<data::Entry>& train_entries, const TrainConfig& requested,
                           data::TaskType task) {
    TrainingData data;
    const bool classifies = task != data::TaskType::ObjectDetection;
    data.labels = classifies ? image_label_set(train_entries) : label_set(train_entries);
    data.max_detections = choose_max_detections(train_entries);
    if (train_entries.size() >= 20) {
        auto pool = train_entries;
        if (task == data::TaskType::Classification)
            data::label_stratified_split(pool, requested.validation_percent, requested.seed + 1);
        else
            data::stratified_split(pool, requested.validation_percent, requested.seed + 1);
        for (auto& e : pool) (e.split == data::Split::Test ? data.validation : data.train).push_back(std::move(e));
    } else {
        data.train = train_entries;
    }
    return data;
}

// Evaluates the trained network on the test set and stores the model version: weights,
// model.json (labels, calibration, assumed thresholds), evaluation and stored predictions.
void publish(const store::VersionInfo& version, TrainOutcome& outcome,
             const TrainingData& data, const TrainConfig& config, const std::vector<data::Entry>& train_entries,
             const std::vector<data::Entry>& test_entries, TrainSummary& result) {
    EvaluationSetup setup{data.labels, config.image_size, config.flip_test, {}, data.max_detections,
                          outcome.calibration, config.tile_fraction};
    const NetworkEvaluation tested = evaluate_network(*outcome.net, test_entries, setup);
    result.evaluation = tested.evaluation.to_json();

    infer::ModelManifest manifest;
    manifest.labels = data.labels;
    manifest.input_size = config.image_size;
    manifest.thresholds = tested.evaluation.thresholds();
    manifest.max_detections = data.max_detections;
    manifest.calibration = outcome.calibration;
    manifest.training = training_record(config, outcome, result);
    if (!outcome.head_start.is_null()) manifest.training["head_start"] = outcome.head_start;
    manifest.dataset_hash = dataset_hash(train_entries, test_entries);
    manifest.created_ms = now_ms();
    manifest.metrics = result.evaluation["overall"];
    const Json summary = eval::reference_summary(tested.evaluation, version.arn, train_entries.size(), test_entries.size());
    infer::save_model(version.dir, outcome.net, manifest,
                      {{"evaluation.json", result.evaluation.dump(2)},
                       {"evaluation-summary.json", summary.dump(2)},
                       {"predictions.json", tested.predictions.to_json().dump()},
                       {"history.json", outcome.history.dump(2)}});
}

}  // namespace

TrainSummary train_project(store::Catalog& catalog, const std::string& project_name, const TrainRequest& request,
                           const TrainerCallbacks& callbacks, const std::atomic<bool>* stop) {
    const auto project = catalog.project(project_name);
    const torch::Device device = request.device.empty() ? infer::default_device() : torch::Device(request.device);
    TrainSummary result;
    nn::configure_runtime(request.config.threads);

    const auto task = request.data ? request.data->task : catalog.dataset(project, "train").task;
    const bool classifies = task != data::TaskType::ObjectDetection;
    const bool multi_label = task == data::TaskType::MultiLabelClassification;
    const Target target = find_target(catalog, project, request);
    result.split_created = !request.data && ensure_test_split(catalog, project, request.config.seed, task);
    const auto train_entries = request.data ? request.data->train : catalog.entries(catalog.dataset(project, "train"));
    const auto test_entries = request.data ? request.data->test : catalog.entries(catalog.dataset(project, "test"));
    if (train_entries.empty()) throw Error("project '" + project.name + "' has no training images");

    const TrainingData data = training_data(train_entries, request.config, task);
    const TrainConfig config = target.resumed ? TrainConfig::from_json(target.resumed->config)
                               : classifies   ? resolve_classifier_config(request.config, data.train.size())
                                              : resolve_config(request.config, data.train);
    result.config = config;
    result.train_images = data.train.size();
    result.validation_images = data.validation.size();
    result.test_images = test_entries.size();

    const store::VersionInfo version =
        target.resumed   ? *target.resumed
        : target.pending ? *target.pending
                         : catalog.create_version(project,
                                                  request.version_name.empty() ? default_version_name(project.name)
                                                                               : request.version_name,
                                                  config.to_json());
    if (target.pending && !target.resumed) {
        // Keep what the creator stored beside the knobs (the service's OutputConfig).
        Json merged = target.pending->config;
        merged.update(config.to_json());
        catalog.set_version_config(version, merged);
    }
    result.version = version;
    const fs::path checkpoints = checkpoint_dir(catalog, version);
    try {
        const auto record = [&result](const auto& outcome) {
            result.epochs_run = outcome.epochs_run;
            result.fold_in_epochs = outcome.fold_in_epochs;
            result.calibration_fit = outcome.calibration_fit;
            result.seconds = outcome.seconds;
            result.interrupted = outcome.interrupted;
        };
        if (classifies) {
            ClassifierTrainer trainer(config, data, multi_label, checkpoints, device);
            ClassifierOutcome outcome = trainer.run(callbacks, stop, target.resumed.has_value());
            record(outcome);
            if (!outcome.interrupted)
                publish_classifier(version, outcome, data, multi_label, config, train_entries, test_entries, result);
        } else {
            Trainer trainer(config, data, checkpoints, device);
            TrainOutcome outcome = trainer.run(callbacks, stop, target.resumed.has_value());
            record(outcome);
            if (!outcome.interrupted) publish(version, outcome, data, config, train_entries, test_entries, result);
        }
        if (result.interrupted) {
            catalog.update_version(version, store::VersionStatus::TrainingInProgress,
                                   "interrupted after epoch " + std::to_string(result.epochs_run) +
                                       "; continue with: apiary train " + project.name + " --resume",
                                   Json::object());
            return result;
        }
        catalog.update_version(version, store::VersionStatus::TrainingCompleted, "The model is ready to run.",
                               result.evaluation["overall"]);
        result.version = catalog.version(project, version.name);
        std::error_code ec;
        fs::remove_all(checkpoints, ec);
    } catch (const std::exception& e) {
        catalog.update_version(version, store::VersionStatus::TrainingFailed, e.what(), Json::object());
        throw;
    }
    return result;
}

void cancel_training(store::Catalog& catalog, const store::VersionInfo& version, const std::string& message) {
    catalog.update_version(version, store::VersionStatus::TrainingFailed, message, Json::object());
    std::error_code ec;
    fs::remove_all(checkpoint_dir(catalog, version), ec);
}

EvaluateSummary evaluate_version(store::Catalog& catalog, const std::string& project_name,
                                 const EvaluateRequest& request) {
    const auto project = catalog.project(project_name);
    EvaluateSummary out;
    out.version = request.version.empty() ? catalog.latest_completed_version(project)
                                          : catalog.version(project, request.version);
    const torch::Device device = request.device.empty() ? infer::default_device() : torch::Device(request.device);
    auto model = infer::load_model(out.version.dir, device);
    EvaluationSetup setup{model.manifest.labels,          model.manifest.input_size,
                          model.manifest.training.value("flip_test", false), {},
                          model.manifest.max_detections,  model.manifest.calibration,
                          model.manifest.tile_fraction()};
    std::vector<data::Entry> entries;
    if (request.entries) {
        entries = *request.entries;
        setup.fixed_thresholds = model.manifest.thresholds;
    } else {
        entries = catalog.entries(catalog.dataset(project, "test"));
    }
    out.images = entries.size();
    out.evaluation = model.manifest.classifies() ? evaluate_classifier(*model.classifier, entries, setup).to_json()
                                                 : evaluate_network(*model.net, entries, setup).evaluation.to_json();
    return out;
}

}  // namespace apiary::train
