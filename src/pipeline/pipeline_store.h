#pragma once
// Pipeline definitions: "objects created under bucket/prefix (with one of these suffixes) →
// model → <key>.json", stored in apiary.db so that the CLI can create, pause or change them
// while `apiary serve` runs (workers re-read them).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/data_dir.h"
#include "store/sqlite.h"

namespace apiary::pipeline {

struct PipelineSpec {
    std::string name;            // 1-255 of [a-zA-Z0-9_.-], unique
    std::string bucket;
    std::string prefix;          // may be empty: the whole bucket
    std::vector<std::string> suffixes;  // lower-case, with the dot (".jpg"); empty: .jpg .jpeg .png
    std::string model;           // model version ARN
    std::optional<double> min_confidence;  // 0..100; unset: each label's assumed threshold
    int max_results = 0;         // 0: no limit
    int workers = 1;             // 1..16
    bool paused = false;
    // Results whose best confidence lies in [review_min, review_max] (percent) are queued for a
    // person to check (review_queue.h); unset: none are.
    std::optional<double> review_min, review_max;
    int64_t created_ms = 0;
    int64_t updated_ms = 0;

    // Whether an object created at `key` in `bucket` is this pipeline's to process: under the
    // prefix, with a matching suffix (case-insensitive), and not a result file (".json").
    bool matches(const std::string& bucket, const std::string& key) const;
};

// Validation errors name the field (apiary::Error); NotFound / Conflict as the catalog's.
class PipelineStore {
public:
    explicit PipelineStore(const store::DataDir& dir);  // own connection; runs migrations

    PipelineSpec create(PipelineSpec spec);  // Conflict if the name is taken
    std::vector<PipelineSpec> list();        // by name
    PipelineSpec get(const std::string& name);  // NotFound
    // Model, threshold, max results, workers, suffixes, review band; takes effect for events processed from now on.
    PipelineSpec update(const PipelineSpec& spec);
    void set_paused(const std::string& name, bool paused);
    // Deletes the definition, its queued, in-flight and dead-lettered messages and its reviews.
    void remove(const std::string& name);

    // The pipelines an object event belongs to, read on `db` (the object store's connection,
    // inside its transaction).
    static std::vector<PipelineSpec> matching(store::Database& db, const std::string& bucket, const std::string& key);

private:
    store::Database db_;
};

}  // namespace apiary::pipeline
