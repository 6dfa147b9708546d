#include "service/event_pipelines.h"

#include "core/error.h"
#include "pipeline/pipeline_store.h"
#include "service/api_error.h"

namespace apiary::service {

EventPipelines::EventPipelines(const store::DataDir& dir, store::ObjectStore& objects, RekognitionApi& rekognition,
                               const pipeline::QueueSettings& settings,
                               const std::optional<EncryptionKey>& key, int max_workers)
    : objects_(objects), rekognition_(rekognition), queue_(dir, settings, key), reviews_(dir),
      encrypt_results_(key.has_value()) {
    workers_ = std::make_unique<pipeline::WorkerPool>(
        dir, queue_, [this](const pipeline::PipelineSpec& spec, const pipeline::Message& m) { process(spec, m); },
        max_workers);
}

EventPipelines::~EventPipelines() { workers_->stop(); }

store::ObjectCreatedHook EventPipelines::hook() {
    return [this](store::Database& db, const store::ObjectInfo& object) {
        for (const auto& spec : pipeline::PipelineStore::matching(db, object.bucket, object.key)) {
            pipeline::Message m;
            m.pipeline = spec.name;
            m.bucket = object.bucket;
            m.key = object.key;
            m.etag = object.etag;
            m.created_ms = object.modified_ms;
            queue_.enqueue(db, m);
            queued_ = true;
        }
    };
}

void EventPipelines::after_write() {
    if (queued_.exchange(false)) workers_->notify();
}

void EventPipelines::process(const pipeline::PipelineSpec& spec, const pipeline::Message& message) {
    Json request = {{"ProjectVersionArn", spec.model},
                    {"Image", {{"S3Object", {{"Bucket", message.bucket}, {"Name", message.key}}}}}};
    if (spec.min_confidence) request["MinConfidence"] = *spec.min_confidence;
    if (spec.max_results > 0) request["MaxResults"] = spec.max_results;
    Json response;
    try {
        // A pipeline keeps its model running, starting it when an event finds it stopped;
        // the message is retried after its back-off, by which time the model is up.
        rekognition_.ensure_running(spec.model);
        response = rekognition_.handle("DetectCustomLabels", request);
    } catch (const ApiError& e) {
        throw Error(e.code() + ": " + e.what());
    }
    // Written without the hook: a result never triggers a pipeline. The store makes the object
    // visible in one commit, so a reader (or a crash) never sees a torn result; a retried
    // message overwrites the same key.
    objects_.put_object_bytes(message.bucket, message.key + ".json", response.dump(), "application/json", {}, {},
                              encrypt_results_);
    // Under encryption at rest, object names stay sealed: the review queue, which names them in
    // the clear, is not used (README).
    if (!encrypt_results_) reviews_.offer(spec, message.bucket, message.key, response);
}

}  // namespace apiary::service
