#pragma once
// Shared by the pipeline suites: a data directory with a pipeline store, a queue with tiny
// timeouts so that redelivery and back-off take milliseconds, and message helpers.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"
#include "store/sqlite.h"
#include "support/test_support.h"

namespace apiary::pipeline::fixtures {

inline const std::string kModel = "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/1700000000002";

inline PipelineSpec make_spec(const std::string& name, const std::string& bucket = "photos",
                              const std::string& prefix = "in/") {
    PipelineSpec s;
    s.name = name;
    s.bucket = bucket;
    s.prefix = prefix;
    s.model = kModel;
    return s;
}

inline QueueSettings fast_settings() {
    QueueSettings s;
    s.visibility_timeout_ms = 150;  // long enough that a loaded machine does not redeliver early
    s.max_attempts = 3;
    s.backoff_base_ms = 1;
    s.backoff_max_ms = 4;
    return s;
}

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Polls `done` for up to `timeout_ms`; `done` may have effects (a receive()), so it is called
// until it first returns true, never again after.
inline bool eventually(const std::function<bool()>& done, int timeout_ms = 5000) {
    for (int waited = 0; waited < timeout_ms; waited += 2) {
        if (done()) return true;
        sleep_ms(2);
    }
    return done();
}

struct Fixture {
    test::TempDir tmp;
    store::DataDir dir{tmp / "data"};
    PipelineStore pipelines{dir};
    SqliteQueue queue{dir, fast_settings()};
    store::Database db{dir.database()};  // stands in for the object store's connection

    // Commits one message, as the object store's hook does inside its transaction.
    void enqueue(const std::string& pipeline, const std::string& key, int64_t created_ms = 0) {
        Message m;
        m.pipeline = pipeline;
        m.bucket = "photos";
        m.key = key;
        m.etag = "etag-" + key;
        m.created_ms = created_ms;
        store::Transaction tx(db);
        queue.enqueue(db, m);
        tx.commit();
    }
};

}  // namespace apiary::pipeline::fixtures
