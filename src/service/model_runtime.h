#pragma once
// Running model versions: StartProjectVersion loads a model once (STARTING → RUNNING),
// DetectCustomLabels borrows it, StopProjectVersion waits for borrowed ones to come back
// (STOPPING → STOPPED). Thread-safe; knows nothing about HTTP or the catalog.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/inference_worker.h"
#include "store/version_status.h"

namespace apiary::service {

enum class RunState { Stopped, Starting, Running, Stopping, Failed };
store::VersionStatus to_version_status(RunState s);  // the status the API answers for it

class ModelRuntime {
public:
    // Called from the loading/stopping thread whenever a model's state settles (RUNNING,
    // STOPPED, FAILED with a message), so the owner can persist it.
    using StateListener = std::function<void(const std::string& arn, RunState, const std::string& message)>;

    explicit ModelRuntime(int threads_per_model = 0, StateListener listener = {});
    ~ModelRuntime();  // stops every model
    ModelRuntime(const ModelRuntime&) = delete;
    ModelRuntime& operator=(const ModelRuntime&) = delete;

    // Begins loading `model_dir` in the background. A model already starting or running is
    // left alone (the reference service answers that as success too).
    // `units` inference workers (each its own copy of the network on its own thread) serve it.
    void start(const std::string& arn, const std::filesystem::path& model_dir, int units = 1);
    // How many inference workers serve a RUNNING model (0 otherwise).
    int units(const std::string& arn) const;
    // Begins stopping; in-flight detections finish first. Unknown or stopped: no-op.
    void stop(const std::string& arn);
    RunState state(const std::string& arn) const;
    std::string message(const std::string& arn) const;

    // A running model, held for the duration of one request; nullptr unless RUNNING.
    std::shared_ptr<InferenceWorker> borrow(const std::string& arn) const;

    // Blocks until no model is STARTING or STOPPING (tests, shutdown).
    void wait_idle();

    // RUNNING models and how long since each last served a detection (or started), for the
    // console's warning about models left running idle.
    struct Idle {
        std::string arn;
        int64_t idle_ms = 0;
    };
    std::vector<Idle> running_idle() const;

private:
    struct Slot {
        RunState state = RunState::Stopped;
        std::string message;
        std::shared_ptr<InferenceWorker> worker;
        mutable int64_t last_used_ms = 0;  // RUNNING since, or the latest borrow
    };
    void settle(const std::string& arn, RunState state, const std::string& message,
                std::shared_ptr<InferenceWorker> worker);
    void run_in_background(std::function<void()> work);
    void join_finished();  // with mutex_ held

    int threads_;
    StateListener listener_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, Slot> slots_;
    std::map<std::thread::id, std::thread> workers_;  // started, not yet joined
    std::vector<std::thread::id> finished_;           // of workers_, done with their work
    int busy_ = 0;
};

}  // namespace apiary::service
