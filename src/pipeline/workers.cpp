#include "pipeline/workers.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>

#include "core/arn.h"
#include "core/error.h"

namespace apiary::pipeline {
namespace {

constexpr int64_t kRereadDefinitionsMs = 1000;
constexpr auto kIdlePoll = std::chrono::milliseconds(100);
constexpr auto kDrainPoll = std::chrono::milliseconds(5);

}  // namespace

struct WorkerPool::ThreadState {
    // Opened by the thread itself (lazily, so that a failure is retried rather than fatal): a
    // connection per thread keeps the definition reads off the queue's mutex.
    std::optional<PipelineStore> store;
    std::vector<PipelineSpec> pipelines;
    std::optional<int64_t> read_ms;
};

WorkerPool::WorkerPool(const store::DataDir& dir, MessageQueue& queue, Processor processor, int max_threads)
    : dir_(dir), queue_(queue), processor_(std::move(processor)), max_threads_(max_threads) {
    if (max_threads < 1) throw Error("a worker pool needs at least one thread");
    threads_.reserve(static_cast<size_t>(max_threads));
    try {
        for (int i = 0; i < max_threads; ++i) threads_.emplace_back([this, i] { run(i); });
    } catch (...) {
        stop();  // the threads already started use *this, which is not going to be constructed
        throw;
    }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        ++wakeups_;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

void WorkerPool::notify() {
    {
        std::lock_guard lock(mutex_);
        ++wakeups_;
    }
    wake_.notify_all();
}

bool WorkerPool::wait_drained(const std::string& pipeline, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        const QueueStats s = queue_.stats(pipeline);
        if (s.queued == 0 && s.in_flight == 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(kDrainPoll);
    }
}

void WorkerPool::run(int index) {
    ThreadState state;
    while (!stopping_) {
        uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            seen = wakeups_;
        }
        bool worked = false;
        try {
            worked = work_once(index, state);
        } catch (const std::exception& e) {
            // The database itself failed (busy past its timeout, disk full): a claimed message is
            // redelivered after its visibility timeout, so the worker only reports and carries on.
            std::cerr << "apiary: pipeline worker " << index << ": " << e.what() << std::endl;
        }
        if (!worked) wait_for_work(seen);
    }
}

bool WorkerPool::work_once(int index, ThreadState& state) {
    const int64_t now = now_ms();
    if (!state.read_ms || now - *state.read_ms >= kRereadDefinitionsMs) {
        if (!state.store) state.store.emplace(dir_);
        state.pipelines = state.store->list();
        state.read_ms = now;
    }
    std::vector<std::string> active;
    int capacity = 0;
    for (const auto& p : state.pipelines)
        if (!p.paused) {
            active.push_back(p.name);
            capacity += p.workers;
        }
    // An empty list would mean "every pipeline" to receive().
    if (active.empty() || index >= std::min(capacity, max_threads_)) return false;

    const auto message = queue_.receive(active);
    if (!message) return false;
    const auto spec = std::find_if(state.pipelines.begin(), state.pipelines.end(),
                                   [&](const PipelineSpec& p) { return p.name == message->pipeline; });
    process(*spec, *message);  // receive() only returns messages of `active` pipelines
    return true;
}

void WorkerPool::process(const PipelineSpec& spec, const Message& message) {
    try {
        processor_(spec, message);
    } catch (const std::exception& e) {
        queue_.fail(message, e.what());
        return;
    } catch (...) {
        queue_.fail(message, "unknown error");
        return;
    }
    queue_.ack(message);
}

void WorkerPool::wait_for_work(uint64_t seen_wakeups) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, kIdlePoll, [&] { return wakeups_ != seen_wakeups; });
}

}  // namespace apiary::pipeline
