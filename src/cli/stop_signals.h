#pragma once
// SIGINT/SIGTERM for long-running commands (serve, pipeline watch): blocked in the calling
// thread — and so in every thread it starts afterwards — and taken by a thread of its own,
// which calls `on_signal` once. Construct it before starting other threads.
#include <atomic>
#include <functional>
#include <thread>

namespace apiary::cli {

class StopSignals {
public:
    explicit StopSignals(std::function<void()> on_signal);
    ~StopSignals();  // releases the watching thread if no signal came
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

private:
    std::atomic<bool> fired_{false};
    std::thread watcher_;
};

}  // namespace apiary::cli
