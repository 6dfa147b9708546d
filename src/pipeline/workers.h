#pragma once
// Worker threads that drain a MessageQueue: each receives a message, runs the processor,
// acks it on success or fails it (retry / dead letter) with the exception's message.
// `max_threads` threads exist; the first N of them work, N being the sum of the unpaused
// pipelines' `workers` (capped), and they take messages of any unpaused pipeline. Definitions
// are re-read every second, so pipelines created, paused or changed by the CLI take effect.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"

namespace apiary::pipeline {

// Processes one message with the pipeline's current definition; throws to fail it.
using Processor = std::function<void(const PipelineSpec& pipeline, const Message& message)>;

class WorkerPool {
public:
    WorkerPool(const store::DataDir& dir, MessageQueue& queue, Processor processor, int max_threads = 16);
    ~WorkerPool();  // stops: workers finish the message in hand (or leave it to its visibility timeout)
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void stop();
    // Wakes idle workers at once (called after an enqueue in this process); otherwise they
    // poll every 100 ms. Only useful once the enqueuing transaction has committed: a worker woken
    // before that cannot see the message yet and sleeps until its next poll.
    void notify();
    // Tests: blocks until the pipeline's queue is empty and nothing is in flight, or the timeout.
    bool wait_drained(const std::string& pipeline, int timeout_ms);

private:
    struct ThreadState;  // one worker's own PipelineStore connection and cached definitions

    void run(int index);
    bool work_once(int index, ThreadState& state);  // false when there was nothing to do
    void process(const PipelineSpec& spec, const Message& message);
    void wait_for_work(uint64_t seen_wakeups);

    store::DataDir dir_;
    MessageQueue& queue_;
    Processor processor_;
    std::atomic<bool> stopping_{false};
    int max_threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    // Bumped under mutex_ by notify() and stop(): a worker compares it with the value it saw before
    // its last receive(), so a wake-up that lands between that receive() and the wait is not lost.
    uint64_t wakeups_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace apiary::pipeline
