// RekognitionApi: model versions — training in the background, start/stop, and detection.
#include <iostream>

#include "core/base64.h"
#include "core/arn.h"
#include "core/files.h"
#include "eval/reference_summary.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"
#include "train/project_training.h"
#include "vision/decode.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxImageBytes = 4 * 1024 * 1024;       // Image.Bytes, as the reference service
constexpr size_t kMaxS3ImageBytes = 15 * 1024 * 1024;    // Image.S3Object
constexpr int64_t kMaxDetectResults = 2147483647;        // MaxResults is a Java int there
constexpr int64_t kMaxInferenceUnits = 2147483647;  // the reference's range for the member
// Each unit is a copy of the network on its own thread: beyond this many a model would only
// take memory and cores from the rest of the machine.
constexpr int64_t kMaxInferenceWorkers = 8;

std::string summary_key(const Json& output, const store::VersionInfo& v) {
    return output.value("S3KeyPrefix", "") + "EvaluationResultSummary-" + v.project + "-" + v.name + ".json";
}

}  // namespace

Json reference_summary(Json summary) {
    eval::add_average_recall(summary);  // models trained before Apiary wrote it
    return summary;
}

int stored_units(const store::VersionInfo& v) {
    const Json units = v.config.value("inference_units", Json::object());
    return units.is_object() ? units.value("min", 1) : 1;
}

Json RekognitionApi::create_project_version(const Json& request) {
    const Members req(request);
    const std::string& project_arn = req.required_string("ProjectArn");
    const std::string& name = req.required_string("VersionName");
    const auto output = req.optional_object("OutputConfig");
    const auto description = req.optional_string("VersionDescription");
    if (description && description->size() > 255)
        throw rekognition::invalid_parameter("VersionDescription exceeds 255 characters");
    const auto kms_key = req.optional_string("KmsKeyId");
    if (kms_key && kms_key->size() > 2048) throw rekognition::invalid_parameter("KmsKeyId exceeds 2048 characters");
    const auto tags = tags_member(req, "Tags");
    if (tags.size() > 50) throw rekognition::service_quota_exceeded("Tags: a resource has at most 50 tags");
    const DataRequest data_wanted = data_request(req);
    // Apiary's extension for experts: the knobs of `apiary train`, over the server's defaults.
    Json config = jobs_.defaults().to_json();
    if (req.has("TrainingOptions")) {
        try {
            config = train::TrainConfig::with_options(jobs_.defaults(), request.at("TrainingOptions"), "TrainingOptions")
                         .to_json();
        } catch (const Error& e) {
            throw rekognition::invalid_parameter(e.what());
        }
    }
    if (output) config["output_config"] = checked_output_config(output);
    if (description) config["description"] = *description;
    // Kept and reported; the data directory's own protection (and --encryption-key-file) applies,
    // not a key of a KMS this server cannot reach.
    if (kms_key) config["kms_key_id"] = *kms_key;
    if (jobs_.queued() >= settings_.max_queued_trainings)
        throw rekognition::limit_exceeded(std::to_string(jobs_.queued()) +
                                          " training jobs are already waiting; try again when one has finished");
    store::VersionInfo version;
    {
        std::lock_guard lock(catalog_mutex_);
        const auto project = project_of(project_arn);
        check_new_version_name(project, name);
        const VersionData data = version_data(data_wanted, project, train::TrainConfig::from_json(config).seed);
        config["task"] = data::to_string(data.task);
        try {
            version = train::create_pending_version(catalog_, project.name, name, train::TrainConfig::from_json(config));
        } catch (const Conflict& e) {
            throw rekognition::in_use(e.what());
        }
        try {
            config["data_results"] = record_version_data(version, data, config.value("output_config", Json()));
        } catch (...) {
            catalog_.delete_version(version);  // no half-made version left to train on nothing
            throw;
        }
        catalog_.set_version_config(version, config);  // keeps output_config beside the knobs
        if (!tags.empty()) catalog_.set_tags(version.arn, tags);
    }
    jobs_.enqueue({version.project, version.name});
    return {{"ProjectVersionArn", version.arn}};
}

Json RekognitionApi::describe_version(const store::VersionInfo& v) {
    store::VersionStatus status = v.status;
    std::string message = v.status_message;
    // The runtime knows transitions the catalog has not been told about yet: a model settles in
    // the runtime first (STOPPED, RUNNING) and in the catalog a moment later, and a client that
    // asks in between must never read the state before its own Start or Stop call.
    using store::VersionStatus;
    const bool run_state = v.status == VersionStatus::Running || v.status == VersionStatus::Starting ||
                           v.status == VersionStatus::Stopping;
    if (const RunState s = runtime_.state(v.arn); s == RunState::Starting || s == RunState::Stopping ||
                                                   (run_state && to_version_status(s) != v.status)) {
        status = to_version_status(s);
        message = runtime_.message(v.arn);
    }
    Json d = {{"ProjectVersionArn", v.arn},
              {"CreationTimestamp", epoch_seconds(v.created_ms)},
              {"Status", to_string(status)},
              {"StatusMessage", message}};
    // As given at the last start (none before the first).
    if (const Json units = v.config.value("inference_units", Json()); units.is_object()) {
        d["MinInferenceUnits"] = units["min"];
        if (units.contains("max")) d["MaxInferenceUnits"] = units["max"];
    }
    if (v.config.contains("description")) d["VersionDescription"] = v.config["description"];
    if (v.config.contains("kms_key_id")) d["KmsKeyId"] = v.config["kms_key_id"];
    if (v.config.contains("source_version_arn")) d["SourceProjectVersionArn"] = v.config["source_version_arn"];
    if (v.training_end_ms > 0) {
        // Fixed when training ended: starting or stopping the model later moves neither.
        d["TrainingEndTimestamp"] = epoch_seconds(v.training_end_ms);
        d["BillableTrainingTimeInSeconds"] = std::max<int64_t>(0, (v.training_end_ms - v.created_ms) / 1000);
    }
    if (const Json results = v.config.value("data_results", Json()); results.is_object())
        for (const auto& [key, value] : results.items()) d[key] = value;
    const Json output = v.config.value("output_config", Json());
    if (output.is_object()) d["OutputConfig"] = output;
    if (v.metrics.contains("f1")) {
        d["EvaluationResult"] = {{"F1Score", v.metrics["f1"]}};
        if (output.is_object())
            d["EvaluationResult"]["Summary"] = {
                {"S3Object", {{"Bucket", output["S3Bucket"]}, {"Name", summary_key(output, v)}}}};
    }
    return d;
}

Json RekognitionApi::describe_project_versions(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectArn");
    const auto names = req.string_list("VersionNames");
    const PageRequest paging = page_request(req, 100, 100);
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(arn);
    std::vector<store::VersionInfo> versions;
    for (auto& v : catalog_.versions(project))
        if (names.empty() || std::find(names.begin(), names.end(), v.name) != names.end()) versions.push_back(v);
    const Page page = page_of(paging, versions.size());
    Json out = {{"ProjectVersionDescriptions", Json::array()}};
    for (size_t i = page.begin; i < page.end; ++i) out["ProjectVersionDescriptions"].push_back(describe_version(versions[i]));
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::start_project_version(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectVersionArn");
    // MinInferenceUnits is the number of inference workers the model gets (each a copy of the
    // network on its own thread). No autoscaling: MaxInferenceUnits is checked and reported only.
    const auto min_units = req.optional_integer("MinInferenceUnits", 1, kMaxInferenceUnits);
    const auto max_units = req.optional_integer("MaxInferenceUnits", 1, kMaxInferenceUnits);
    if (min_units && max_units && *max_units < *min_units)
        throw rekognition::invalid_parameter("MaxInferenceUnits must not be less than MinInferenceUnits");
    if (min_units.value_or(1) > kMaxInferenceWorkers)
        throw rekognition::limit_exceeded("MinInferenceUnits: this server runs at most " +
                                          std::to_string(kMaxInferenceWorkers) + " inference workers per model");
    store::VersionInfo v;
    {
        std::lock_guard lock(catalog_mutex_);
        v = version_of(arn);
    }
    if (!has_trained_model(v.status))
        throw rekognition::in_use("model version " + v.name + " is " + to_string(v.status) +
                                  "; only a trained model starts");
    const int units = static_cast<int>(min_units.value_or(1));
    if (runtime_.state(v.arn) == RunState::Stopped || runtime_.state(v.arn) == RunState::Failed) {
        std::lock_guard lock(catalog_mutex_);
        Json config = version_of(arn).config;
        config["inference_units"] = {{"min", units}};
        if (max_units) config["inference_units"]["max"] = *max_units;
        catalog_.set_version_config(v, config);
    }
    runtime_.start(v.arn, v.dir, units);
    return {{"Status", to_string(to_version_status(runtime_.state(v.arn)))}};
}

Json RekognitionApi::stop_project_version(const Json& request) {
    const std::string& arn = Members(request).required_string("ProjectVersionArn");
    store::VersionInfo v;
    {
        std::lock_guard lock(catalog_mutex_);
        v = version_of(arn);
    }
    const RunState state = runtime_.state(v.arn);
    if (state == RunState::Starting) throw rekognition::in_use("model version " + v.name + " is starting; stop it when RUNNING");
    if (state != RunState::Running) throw rekognition::invalid_parameter("model version " + v.name + " is not running");
    runtime_.stop(v.arn);
    return {{"Status", to_string(store::VersionStatus::Stopping)}};
}

Json RekognitionApi::delete_project_version(const Json& request) {
    const std::string& arn = Members(request).required_string("ProjectVersionArn");
    std::lock_guard lock(catalog_mutex_);
    const auto v = version_of(arn);
    if (v.status == store::VersionStatus::TrainingInProgress)
        throw rekognition::in_use("model version " + v.name + " is still training");
    if (runtime_.state(v.arn) != RunState::Stopped && runtime_.state(v.arn) != RunState::Failed)
        throw rekognition::in_use("model version " + v.name + " is " + to_string(to_version_status(runtime_.state(v.arn))) +
                                  "; stop it first");
    catalog_.delete_version(v);
    return {{"Status", to_string(store::VersionStatus::Deleting)}};
}

void RekognitionApi::ensure_running(const std::string& version_arn) {
    const RunState state = runtime_.state(version_arn);
    if (state == RunState::Running) return;
    if (state == RunState::Stopped || state == RunState::Failed) {
        store::VersionInfo v;
        {
            std::lock_guard lock(catalog_mutex_);
            v = version_of(version_arn);
        }
        if (!has_trained_model(v.status))
            throw rekognition::not_ready("model version " + v.name + " is " + to_string(v.status));
        runtime_.start(v.arn, v.dir, stored_units(v));
    }
    throw rekognition::not_ready("model version " + version_arn + " is starting");
}

void RekognitionApi::on_model_state(const std::string& arn, RunState state, const std::string& message) {
    // Persisted so that a restarted server starts again the models that were running.
    std::lock_guard lock(catalog_mutex_);
    try {
        const auto v = version_of(arn);
        catalog_.update_version(v, to_version_status(state), message, v.metrics);
    } catch (const std::exception&) {
        // Deleted meanwhile: nothing to record.
    }
}

void RekognitionApi::publish_evaluation(const TrainingJob& job) {
    std::lock_guard lock(catalog_mutex_);
    try {
        const auto v = catalog_.version(catalog_.project(job.project), job.version);
        const Json output = v.config.value("output_config", Json());
        if (v.status != store::VersionStatus::TrainingCompleted || !output.is_object()) return;
        put_evaluation_summary(v, output);
        objects_.put_object_bytes(output["S3Bucket"],
                                  output.value("S3KeyPrefix", "") + "EvaluationResult-" + v.project + "-" + v.name + ".json",
                                  read_file(fs::path(v.dir) / "evaluation.json"), "application/json");
    } catch (const std::exception& e) {
        std::clog << "publishing the evaluation of " << job.project << "/" << job.version << " failed: " << e.what() << "\n";
    }
}

Json RekognitionApi::checked_output_config(const std::optional<Members>& output) {
    if (!output) return Json();
    const std::string& bucket = output->required_string("S3Bucket");
    const std::string prefix = output->optional_string("S3KeyPrefix").value_or("");
    if (prefix.size() > 1024) throw rekognition::invalid_parameter(output->name("S3KeyPrefix") + " exceeds 1024 characters");
    if (!objects_.bucket_exists(bucket)) throw rekognition::invalid_parameter("OutputConfig.S3Bucket: no bucket named " + bucket);
    return {{"S3Bucket", bucket}, {"S3KeyPrefix", prefix}};
}

void RekognitionApi::check_new_version_name(const store::ProjectInfo& project, const std::string& name) {
    if (!is_valid_resource_name(name))
        throw rekognition::invalid_parameter("VersionName '" + name.substr(0, 64) +
                                             "' is not valid (1-255 letters, digits, '_', '.', '-')");
    for (const auto& v : catalog_.versions(project))
        if (v.name == name) throw rekognition::in_use("project " + project.name + " already has a version named " + name);
}

void RekognitionApi::put_evaluation_summary(const store::VersionInfo& v, const Json& output) {
    Json summary = reference_summary(Json::parse(read_file(fs::path(v.dir) / "evaluation-summary.json")));
    summary["EvaluationDetails"]["ProjectVersionArn"] = v.arn;  // a copy's file names the copy
    objects_.put_object_bytes(output["S3Bucket"], summary_key(output, v), summary.dump(2), "application/json");
}

Json RekognitionApi::detect_custom_labels(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectVersionArn");
    const Members image = req.required_object("Image");
    const auto encoded = image.optional_string("Bytes");
    const auto s3 = image.optional_object("S3Object");
    std::optional<std::pair<std::string, std::string>> s3_location;  // bucket, key
    if (s3) s3_location.emplace(s3->required_string("Bucket"), s3->required_string("Name"));
    if (encoded.has_value() == s3.has_value()) throw rekognition::invalid_parameter("Image needs either Bytes or S3Object");
    infer::DetectOptions options;
    if (const auto min = req.optional_number("MinConfidence", 0, 100)) options.min_confidence = *min;
    if (const auto max = req.optional_integer("MaxResults", 0, kMaxDetectResults))
        options.max_results = static_cast<size_t>(*max);
    // Every request holds an HTTP thread while it waits for the model; past the limit, turn
    // requests away (clients back off and retry) so S3 and other calls keep being served.
    struct Pending {
        std::atomic<int>& n;
        ~Pending() { --n; }
    } pending{pending_detections_};
    if (++pending_detections_ > settings_.max_pending_detections)
        throw rekognition::throttling("more than " + std::to_string(settings_.max_pending_detections) +
                                      " detections are waiting; slow down");
    const auto model = runtime_.borrow(arn);
    if (!model) {
        std::lock_guard lock(catalog_mutex_);
        const auto v = version_of(arn);  // ResourceNotFound for an unknown ARN
        throw rekognition::not_ready("model version " + v.name + " is not running (" + to_string(to_version_status(runtime_.state(arn))) +
                                     "); start it with StartProjectVersion");
    }
    std::string bytes;
    std::string name = "Image.Bytes";
    if (encoded) {
        const auto decoded = base64_decode(*encoded);
        if (!decoded) throw rekognition::invalid_parameter("Image.Bytes is not valid base64");
        if (decoded->size() > kMaxImageBytes)
            throw rekognition::image_too_large("Image.Bytes is " + std::to_string(decoded->size()) + " bytes; the limit is 4 MB");
        bytes = *decoded;
    } else {
        const auto& [bucket, key] = *s3_location;
        name = "s3://" + bucket + "/" + key;
        const auto info = objects_.find_object(bucket, key);
        if (!info) throw rekognition::invalid_s3_object("no object " + name);
        if (static_cast<size_t>(info->size) > kMaxS3ImageBytes)
            throw rekognition::image_too_large(name + " is " + std::to_string(info->size) + " bytes; the limit is 15 MB");
        bytes = objects_.read_object_bytes(info->bucket, info->key);
    }
    cv::Mat decoded;
    try {
        decoded = vision::decode_image_bytes(bytes, name);
    } catch (const vision::DecodeError& e) {
        if (e.kind() == vision::DecodeFailure::TooLarge) throw rekognition::image_too_large(e.what());
        throw rekognition::invalid_image(e.what());
    }
    return infer::to_custom_labels_json(model->detect(decoded, options));
}

}  // namespace apiary::service
