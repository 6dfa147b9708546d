#pragma once
// Human review of pipeline results: an image whose best confidence falls in its pipeline's review
// band waits here for a person, who accepts it (with corrected labels it joins the model's
// training dataset) or rejects it. Stored in apiary.db beside the pipelines; thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "pipeline/pipeline_store.h"
#include "store/data_dir.h"
#include "store/sqlite.h"

namespace apiary::pipeline {

struct Review {
    int64_t id = 0;
    std::string pipeline, bucket, key, model;
    double best_confidence = 0;  // percent; 0 when the model found nothing
    std::string state;           // pending, accepted, rejected
    int64_t created_ms = 0;
    std::string reviewer;        // access key id of who decided; empty while pending
    int64_t reviewed_ms = 0;

    Json to_json() const;
};

struct ReviewCounts {
    int64_t pending = 0, accepted = 0, rejected = 0;
};

class ReviewQueue {
public:
    explicit ReviewQueue(const store::DataDir& dir);  // own connection; runs migrations

    // The best confidence of a DetectCustomLabels response, in percent (0 with no labels).
    static double best_confidence(const Json& response);
    // Queues the image when `response`'s best confidence is in the spec's band; a result
    // computed again (a retried message) replaces a pending review of the same object. Returns
    // whether it was queued.
    bool offer(const PipelineSpec& spec, const std::string& bucket, const std::string& key, const Json& response);

    // Newest first; `state` and `pipeline` empty: all.
    std::vector<Review> list(const std::string& state = "", const std::string& pipeline = "", size_t limit = 500);
    Review get(int64_t id);  // NotFound
    ReviewCounts counts(const std::string& pipeline = "");
    // pending → accepted / rejected by `reviewer`; Conflict when it was decided already.
    Review decide(int64_t id, bool accepted, const std::string& reviewer);

private:
    std::mutex mutex_;
    store::Database db_;
};

}  // namespace apiary::pipeline
