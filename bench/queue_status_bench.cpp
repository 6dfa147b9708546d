// `pipeline status` at a million rows: fills a pipeline's queue with N messages as a busy week
// leaves them (mostly done, 1% failed once, 0.1% dead, a few queued), then times
// SqliteQueue::stats() and a prune that finds nothing to delete, as ack() runs it.
//   build/bench/queue_status_bench [--rows 1000000] [--dir DIR]   (KEEP=1 leaves DIR for a look)
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "core/arn.h"
#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"

namespace fs = std::filesystem;
using namespace apiary;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void fill(store::Database& db, int rows) {
    store::Transaction tx(db);
    auto insert = db.prepare(
        "INSERT INTO pipeline_messages (pipeline, bucket, key, etag, state, attempts, failures, visible_at_ms, "
        "created_ms, failed_ms, finished_ms, last_error) VALUES ('p', 'b', ?1, 'e', ?2, 1, ?3, 0, ?4, ?5, ?6, ?7)");
    const int64_t now = now_ms();
    for (int i = 0; i < rows; ++i) {
        const bool failed = i % 100 == 0, dead = i % 1000 == 0, queued = i % 100000 == 1;
        insert.bind(1, "in/" + std::to_string(i) + ".jpg")
            .bind(2, dead ? "dead" : queued ? "queued" : "done")
            .bind(3, failed ? 1 : 0)
            .bind(4, now - 2000 - i / 2);
        if (failed) insert.bind(5, now - i / 2).bind(7, "error " + std::to_string(i));
        if (!queued) insert.bind(6, now - i / 2);
        insert.run();
    }
    tx.commit();
}

}  // namespace

int main(int argc, char** argv) {
    int rows = 1'000'000;
    fs::path dir = fs::current_path() / "queue-status-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rows")) rows = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    }
    fs::remove_all(dir);
    {
        const store::DataDir data(dir);
        pipeline::PipelineStore pipelines(data);
        pipeline::PipelineSpec spec;
        spec.name = "p";
        spec.bucket = "b";
        spec.model = "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/1";
        pipelines.create(spec);
        pipeline::SqliteQueue queue(data);
        store::Database db(data.database());
        auto t = Clock::now();
        fill(db, rows);
        std::cout << rows << " rows inserted in " << ms_since(t) / 1000 << " s\n";

        pipeline::QueueStats s = queue.stats("p");  // warm the page cache, as a second status call is
        constexpr int kRuns = 10;
        t = Clock::now();
        for (int i = 0; i < kRuns; ++i) s = queue.stats("p");
        std::cout << "stats(): " << ms_since(t) / kRuns << " ms (done " << s.done << ", dead " << s.dead_lettered
                  << ", queued " << s.queued << ", failed attempts " << s.failed_attempts << ", "
                  << s.latency_ms.size() << " latencies)\n";
        t = Clock::now();
        const size_t pruned = queue.prune_done();
        std::cout << "prune_done() with nothing past the retention: " << ms_since(t) << " ms (" << pruned
                  << " pruned)\n";
    }
    if (!std::getenv("KEEP")) fs::remove_all(dir);
}
