// The worker pool: every message processed once, failures retried into dead letters, paused
// pipelines left alone, as many busy threads as the pipelines ask for, and prompt wake-ups.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "pipeline/workers.h"
#include "pipeline_fixture.h"

namespace apiary::pipeline {
namespace {
using namespace fixtures;

// A processor that records what it was called with.
struct Recorder {
    std::mutex mutex;
    std::map<int64_t, int> calls;  // message id → times processed
    std::set<std::thread::id> threads;
    std::vector<std::string> specs_seen;
    std::vector<std::chrono::steady_clock::time_point> times;

    Processor processor() {
        return [this](const PipelineSpec& spec, const Message& m) {
            std::lock_guard lock(mutex);
            ++calls[m.id];
            threads.insert(std::this_thread::get_id());
            specs_seen.push_back(spec.name);
            times.push_back(std::chrono::steady_clock::now());
        };
    }
    size_t count() {
        std::lock_guard lock(mutex);
        return times.size();
    }
};

void enqueue_many(Fixture& f, const std::string& pipeline, int n) {
    store::Transaction tx(f.db);
    for (int i = 0; i < n; ++i)
        f.queue.enqueue(f.db, Message{0, pipeline, "photos", "in/" + std::to_string(i) + ".jpg", "e", 0, 0});
    tx.commit();
}

TEST(WorkerPool, ProcessesEveryMessageExactlyOnceAcrossFourThreads) {
    Fixture f;
    PipelineSpec spec = make_spec("p");
    spec.workers = 4;
    f.pipelines.create(spec);
    QueueSettings settings = fast_settings();
    settings.visibility_timeout_ms = 30'000;  // a slow machine must not cause redeliveries
    SqliteQueue queue(f.dir, settings);
    Recorder rec;
    WorkerPool pool(f.dir, queue, rec.processor(), 4);
    enqueue_many(f, "p", 200);
    pool.notify();
    ASSERT_TRUE(pool.wait_drained("p", 20'000));
    pool.stop();

    EXPECT_EQ(rec.calls.size(), 200u);
    for (const auto& [id, n] : rec.calls) EXPECT_EQ(n, 1) << "message " << id;
    EXPECT_EQ(std::set<std::string>(rec.specs_seen.begin(), rec.specs_seen.end()), std::set<std::string>{"p"});
    const auto s = queue.stats("p");
    EXPECT_EQ(s.done, 200);
    EXPECT_EQ(s.failed_attempts, 0);
}

TEST(WorkerPool, ThrowingProcessorDeadLettersWithItsMessage) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    std::atomic<int> calls{0};
    WorkerPool pool(f.dir, f.queue, [&](const PipelineSpec&, const Message&) {
        ++calls;
        throw std::runtime_error("cannot decode image");
    });
    f.enqueue("p", "in/bad.jpg");
    pool.notify();
    ASSERT_TRUE(pool.wait_drained("p", 5000));
    EXPECT_EQ(calls, fast_settings().max_attempts);
    const auto dead = f.queue.dead_letters("p");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead[0].error, "cannot decode image");
    EXPECT_EQ(f.queue.stats("p").failed_attempts, fast_settings().max_attempts);
}

TEST(WorkerPool, PausedPipelineWaitsUntilResumed) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    Recorder rec;
    WorkerPool pool(f.dir, f.queue, rec.processor(), 2);
    f.pipelines.set_paused("p", true);  // takes effect at once: the queue skips paused pipelines
    f.enqueue("p", "in/a.jpg");
    f.enqueue("p", "in/b.jpg");
    pool.notify();
    sleep_ms(150);
    EXPECT_EQ(rec.count(), 0u);
    EXPECT_EQ(f.queue.stats("p").queued, 2);

    f.pipelines.set_paused("p", false);  // workers see it on their next re-read (within a second)
    ASSERT_TRUE(pool.wait_drained("p", 5000));
    EXPECT_EQ(rec.count(), 2u);
}

TEST(WorkerPool, BusyThreadsFollowThePipelinesWorkerCounts) {
    Fixture f;
    f.pipelines.create(make_spec("p"));  // workers = 1
    Recorder rec;
    WorkerPool pool(f.dir, f.queue, rec.processor(), 4);
    enqueue_many(f, "p", 20);
    pool.notify();
    ASSERT_TRUE(pool.wait_drained("p", 5000));
    EXPECT_EQ(rec.threads.size(), 1u) << "one worker for a one-worker pipeline, whatever the pool size";
}

TEST(WorkerPool, NotifyWakesIdleWorkersWithoutWaitingForThePoll) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    Recorder rec;
    WorkerPool pool(f.dir, f.queue, rec.processor(), 1);
    sleep_ms(20);  // the worker has read the definitions and sleeps
    std::vector<double> delays_ms;
    for (size_t round = 1; round <= 9; ++round) {
        f.enqueue("p", "in/" + std::to_string(round) + ".jpg");
        const auto sent = std::chrono::steady_clock::now();
        pool.notify();
        ASSERT_TRUE(eventually([&] { return rec.count() == round; }));
        std::lock_guard lock(rec.mutex);
        delays_ms.push_back(std::chrono::duration<double, std::milli>(rec.times.back() - sent).count());
    }
    // Without the wake-up each would wait for the 100 ms poll, 50 ms on average.
    std::sort(delays_ms.begin(), delays_ms.end());
    EXPECT_LT(delays_ms[delays_ms.size() / 2], 25.0);
}

TEST(WorkerPool, StopsPromptlyAndLeavesQueuedWork) {
    Fixture f;
    f.pipelines.create(make_spec("p"));
    Recorder rec;
    const auto started = std::chrono::steady_clock::now();
    {
        WorkerPool pool(f.dir, f.queue, rec.processor(), 16);
        pool.stop();
        pool.stop();  // idempotent; the destructor stops again
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    f.enqueue("p", "in/a.jpg");
    EXPECT_EQ(f.queue.stats("p").queued, 1);
    EXPECT_EQ(rec.count(), 0u);
}

}  // namespace
}  // namespace apiary::pipeline
