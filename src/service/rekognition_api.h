#pragma once
// The Rekognition Custom Labels operations of the AWS JSON 1.1 protocol: a request body in, a
// response body out, errors as ApiError with the reference service's exception names. The
// same library calls the CLI makes (catalog, import, train, predictor) do the work; this layer
// only translates shapes.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "core/json.h"
#include "service/model_runtime.h"
#include "service/request_fields.h"
#include "service/training_jobs.h"
#include "store/catalog.h"
#include "store/object_store.h"

namespace apiary::service {

struct RekognitionSettings {
    train::TrainConfig training;     // knobs for CreateProjectVersion jobs
    int inference_threads = 0;       // libtorch threads per forward pass; 0: every core
    // Beyond these, DetectCustomLabels answers ThrottlingException (clients back off and retry)
    // and CreateProjectVersion LimitExceededException.
    int max_pending_detections = 24;
    size_t max_queued_trainings = 10;
};

// The inference workers a version was last started with (StartProjectVersion's MinInferenceUnits).
int stored_units(const store::VersionInfo& v);
// A model's evaluation-summary.json as the reference service writes it to the output bucket
// (adds AggregatedEvaluationResults.AverageRecall where the trainer did not write it).
Json reference_summary(Json summary);

class RekognitionApi {
public:
    RekognitionApi(const store::DataDir& dir, store::ObjectStore& objects, const RekognitionSettings& settings = {});
    ~RekognitionApi();

    // Runs `operation` ("DetectCustomLabels", ...) on a parsed request body.
    Json handle(const std::string& operation, const Json& request);
    bool knows(const std::string& operation) const;

    // For the event pipeline: returns if `version_arn` is RUNNING; otherwise starts it (when it
    // is trained) and throws ResourceNotReadyException, so the caller retries later.
    void ensure_running(const std::string& version_arn);

    // Puts back what a restart interrupted: training jobs resume, models that were running
    // start again.
    void recover();
    // For tests: blocks until no training job runs and no model is starting or stopping.
    void wait_idle();

    // For the console's own endpoints: the same catalog, jobs and models the operations use.
    template <typename F>
    auto with_catalog(F&& f) {
        std::lock_guard lock(catalog_mutex_);
        return f(catalog_);
    }
    TrainingJobs& training_jobs() { return jobs_; }
    // The console's save of one entry's labels (a manifest line), through UpdateDatasetEntries'
    // own path, refused with ApiError 409 when the stored labels are no longer `expected_version`
    // (entry_version of what the editor read; "" for an entry not yet in the dataset). Returns
    // the new version.
    std::string update_entry(const std::string& dataset_arn, const std::string& line, const std::string& expected_version);
    static std::string entry_version(const data::Entry& entry);
    // By ARN, or ApiError (InvalidParameterException, ResourceNotFoundException) as the operations answer.
    store::ProjectInfo project(const std::string& arn);
    store::DatasetInfo dataset(const std::string& arn);
    store::VersionInfo version(const std::string& arn);
    const ModelRuntime& models() const { return runtime_; }

private:
    using Handler = Json (RekognitionApi::*)(const Json&);
    static const std::map<std::string, Handler>& handlers();

    // Projects and tags (rekognition_api.cpp)
    Json create_project(const Json&);
    Json describe_projects(const Json&);
    Json delete_project(const Json&);
    Json tag_resource(const Json&);
    Json untag_resource(const Json&);
    Json list_tags_for_resource(const Json&);
    // Datasets (rekognition_datasets.cpp)
    Json create_dataset(const Json&);
    Json describe_dataset(const Json&);
    Json list_dataset_entries(const Json&);
    Json list_dataset_labels(const Json&);
    Json update_dataset_entries(const Json&);
    Json distribute_dataset_entries(const Json&);
    Json delete_dataset(const Json&);
    // Model versions (rekognition_versions.cpp)
    Json create_project_version(const Json&);
    Json describe_project_versions(const Json&);
    Json start_project_version(const Json&);
    Json stop_project_version(const Json&);
    Json delete_project_version(const Json&);
    Json detect_custom_labels(const Json&);
    Json copy_project_version(const Json&);  // rekognition_copy.cpp
    // Project policies (rekognition_policies.cpp)
    Json put_project_policy(const Json&);
    Json list_project_policies(const Json&);
    Json delete_project_policy(const Json&);

    // The data a new version trains and is tested on (rekognition_version_data.cpp).
    struct VersionData {
        data::TaskType task = data::TaskType::ObjectDetection;
        std::vector<data::Entry> train, test;
        size_t train_records = 0, test_records = 0;  // manifest lines read (TrainingData/TestingData Assets)
        std::vector<data::Issue> train_issues, test_issues;
        Json training_input, testing_input;  // TrainingData / TestingData as given, the results' Input
        bool auto_created = false;           // the test set is a split of a copy of the training data
    };
    // CreateProjectVersion's TrainingData and TestingData, read (and their types checked) before
    // anything is looked up.
    struct ManifestRef {
        std::string bucket, key, field;
    };
    struct DataRequest {
        std::optional<std::vector<ManifestRef>> training, testing;  // Assets, when given
        bool training_given = false, testing_given = false, auto_create = false;
    };
    static DataRequest data_request(const Members& request);
    // From TrainingData/TestingData Assets, or the project's datasets; with TestingData.AutoCreate
    // (or no test dataset) 20% of a copy of the training data, the datasets left as they are.
    VersionData version_data(const DataRequest& request, const store::ProjectInfo& project, uint64_t seed);
    // Keeps the copy with the version and, with an OutputConfig, writes the manifests the data
    // results point at into its bucket; returns TrainingDataResult, TestingDataResult and
    // ManifestSummary as DescribeProjectVersions answers them.
    Json record_version_data(const store::VersionInfo& version, const VersionData& data, const Json& output);

    // Helpers shared by the operation files.
    // OutputConfig of CreateProjectVersion and CopyProjectVersion, checked: {S3Bucket, S3KeyPrefix},
    // or null when the request has none.
    Json checked_output_config(const std::optional<Members>& output);
    // InvalidParameter unless `name` is a valid VersionName; ResourceInUse when `project` already has
    // a version of that name (callers hold catalog_mutex_).
    void check_new_version_name(const store::ProjectInfo& project, const std::string& name);
    // Writes v's summary file (EvaluationResultSummary-<project>-<version>.json) into output's bucket.
    void put_evaluation_summary(const store::VersionInfo& v, const Json& output);
    store::ProjectInfo project_of(const std::string& arn);
    store::DatasetInfo dataset_of(const std::string& arn);
    store::VersionInfo version_of(const std::string& arn);
    void require_taggable(const std::string& arn);  // ResourceNotFound unless it exists
    Json describe_version(const store::VersionInfo& v);
    // A Ground Truth manifest whose source-refs must name objects in this server's buckets (or
    // entries `dataset` already holds); InvalidParameterException naming the lines that do not.
    data::ImportReport read_manifest(const std::string& manifest_text, const std::string& origin,
                                     const std::optional<store::DatasetInfo>& dataset);
    void import_lines(const store::ProjectInfo& project, const std::string& type, const std::string& manifest_text,
                      const std::string& origin);
    // Runs an update of `dataset` and records UPDATE_COMPLETE or UPDATE_FAILED (callers hold catalog_mutex_).
    void updating(const store::DatasetInfo& dataset, const std::function<void()>& update);
    // InvalidS3ObjectException, naming `field`, if there is no such object.
    std::string object_bytes(const std::string& bucket, const std::string& key, const std::string& field);
    void publish_evaluation(const TrainingJob& job);
    void on_model_state(const std::string& arn, RunState state, const std::string& message);

    store::DataDir dir_;
    store::ObjectStore& objects_;
    RekognitionSettings settings_;
    std::atomic<int> pending_detections_{0};
    std::mutex catalog_mutex_;  // one connection, many request threads
    store::Catalog catalog_;
    ModelRuntime runtime_;
    TrainingJobs jobs_;  // last: its thread stops before the rest goes
};

}  // namespace apiary::service
