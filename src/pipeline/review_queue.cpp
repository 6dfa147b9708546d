#include "pipeline/review_queue.h"

#include <algorithm>

#include "core/arn.h"
#include "core/error.h"
#include "pipeline/pipeline_schema.h"

namespace apiary::pipeline {

namespace {

constexpr const char* kColumns =
    "SELECT id, pipeline, bucket, key, model, best_confidence, state, created_ms, reviewer, reviewed_ms "
    "FROM pipeline_reviews ";

Review read_review(const store::Statement& st) {
    Review r;
    r.id = st.column_int(0);
    r.pipeline = st.column_text(1);
    r.bucket = st.column_text(2);
    r.key = st.column_text(3);
    r.model = st.column_text(4);
    r.best_confidence = st.column_double(5);
    r.state = st.column_text(6);
    r.created_ms = st.column_int(7);
    if (!st.column_is_null(8)) r.reviewer = st.column_text(8);
    if (!st.column_is_null(9)) r.reviewed_ms = st.column_int(9);
    return r;
}

}  // namespace

Json Review::to_json() const {
    Json j = {{"Id", id},       {"Pipeline", pipeline}, {"Bucket", bucket},
              {"Key", key},     {"Model", model},       {"BestConfidence", best_confidence},
              {"State", state}, {"CreationTimestamp", created_ms / 1000.0}};
    if (!reviewer.empty()) j["Reviewer"] = reviewer, j["ReviewTimestamp"] = reviewed_ms / 1000.0;
    return j;
}

ReviewQueue::ReviewQueue(const store::DataDir& dir) : db_(dir.database()) { migrate_pipeline_schema(db_); }

double ReviewQueue::best_confidence(const Json& response) {
    double best = 0;
    if (response.contains("CustomLabels"))
        for (const auto& label : response.at("CustomLabels")) best = std::max(best, label.value("Confidence", 0.0));
    return best;
}

bool ReviewQueue::offer(const PipelineSpec& spec, const std::string& bucket, const std::string& key,
                        const Json& response) {
    if (!spec.review_min || !spec.review_max) return false;
    const double best = best_confidence(response);
    if (best < *spec.review_min || best > *spec.review_max) return false;
    std::lock_guard lock(mutex_);
    db_.prepare(
           "INSERT INTO pipeline_reviews (pipeline, bucket, key, model, best_confidence, created_ms) "
           "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, bucket, key) DO UPDATE SET model = excluded.model, "
           "best_confidence = excluded.best_confidence, created_ms = excluded.created_ms WHERE state = 'pending'")
        .bind(1, spec.name)
        .bind(2, bucket)
        .bind(3, key)
        .bind(4, spec.model)
        .bind(5, best)
        .bind(6, now_ms())
        .run();
    return true;
}

std::vector<Review> ReviewQueue::list(const std::string& state, const std::string& pipeline, size_t limit) {
    if (!state.empty() && state != "pending" && state != "accepted" && state != "rejected")
        throw Error(Location{"", 0, "state"}, "'" + state + "' is not pending, accepted or rejected");
    std::lock_guard lock(mutex_);
    auto st = db_.prepare(std::string(kColumns) +
                          "WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR pipeline = ?2) ORDER BY id DESC LIMIT ?3");
    st.bind(1, state).bind(2, pipeline).bind(3, static_cast<int64_t>(limit));
    std::vector<Review> out;
    while (st.step()) out.push_back(read_review(st));
    return out;
}

Review ReviewQueue::get(int64_t id) {
    std::lock_guard lock(mutex_);
    auto st = db_.prepare(std::string(kColumns) + "WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) throw NotFound("no review " + std::to_string(id));
    return read_review(st);
}

ReviewCounts ReviewQueue::counts(const std::string& pipeline) {
    std::lock_guard lock(mutex_);
    auto st = db_.prepare("SELECT state, COUNT(*) FROM pipeline_reviews WHERE (?1 = '' OR pipeline = ?1) GROUP BY state");
    st.bind(1, pipeline);
    ReviewCounts c;
    while (st.step()) {
        const std::string s = st.column_text(0);
        (s == "pending" ? c.pending : s == "accepted" ? c.accepted : c.rejected) = st.column_int(1);
    }
    return c;
}

Review ReviewQueue::decide(int64_t id, bool accepted, const std::string& reviewer) {
    {
        std::lock_guard lock(mutex_);
        db_.prepare("UPDATE pipeline_reviews SET state = ?, reviewer = ?, reviewed_ms = ? WHERE id = ? AND state = 'pending'")
            .bind(1, accepted ? "accepted" : "rejected")
            .bind(2, reviewer)
            .bind(3, now_ms())
            .bind(4, id)
            .run();
        if (db_.changes() == 0) {
            auto st = db_.prepare("SELECT state, reviewer FROM pipeline_reviews WHERE id = ?");
            st.bind(1, id);
            if (!st.step()) throw NotFound("no review " + std::to_string(id));
            throw Conflict("review " + std::to_string(id) + " was " + st.column_text(0) + " already by " +
                           (st.column_is_null(1) ? std::string("someone") : st.column_text(1)));
        }
    }
    return get(id);
}

}  // namespace apiary::pipeline
