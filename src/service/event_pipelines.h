#pragma once
// The event pipeline inside `apiary serve`: every object created in a bucket (PutObject,
// CopyObject, a completed multipart upload) is matched against the pipeline definitions and,
// for each match, queued in the same SQLite transaction that creates the object; workers run
// DetectCustomLabels on it and write the response as `<key>.json` beside it.
#include <atomic>
#include <memory>
#include <optional>

#include "core/encryption.h"
#include "pipeline/queue.h"
#include "pipeline/review_queue.h"
#include "pipeline/workers.h"
#include "service/rekognition_api.h"
#include "store/object_store.h"

namespace apiary::service {

class EventPipelines {
public:
    // With a key, queued messages are sealed and results written encrypted. The ObjectStore must
    // hold the same key before this starts the workers.
    EventPipelines(const store::DataDir& dir, store::ObjectStore& objects, RekognitionApi& rekognition,
                   const pipeline::QueueSettings& settings = {},
                   const std::optional<EncryptionKey>& key = std::nullopt, int max_workers = 16);
    ~EventPipelines();

    // For S3Api::set_object_created_hook: runs inside the object's transaction.
    store::ObjectCreatedHook hook();
    // Wakes the workers if the hook queued anything; call once the request's write committed
    // (a worker woken earlier would not see the message yet).
    void after_write();

private:
    void process(const pipeline::PipelineSpec& spec, const pipeline::Message& message);

    store::ObjectStore& objects_;
    RekognitionApi& rekognition_;
    pipeline::SqliteQueue queue_;
    pipeline::ReviewQueue reviews_;
    bool encrypt_results_;
    std::atomic<bool> queued_{false};
    std::unique_ptr<pipeline::WorkerPool> workers_;  // last: stops before the rest goes
};

}  // namespace apiary::service
