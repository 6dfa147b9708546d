#include "service/model_runtime.h"

#include <algorithm>
#include <chrono>

#include "core/arn.h"
#include "core/error.h"

namespace apiary::service {

store::VersionStatus to_version_status(RunState s) {
    using store::VersionStatus;
    switch (s) {
        case RunState::Stopped: return VersionStatus::Stopped;
        case RunState::Starting: return VersionStatus::Starting;
        case RunState::Running: return VersionStatus::Running;
        case RunState::Stopping: return VersionStatus::Stopping;
        case RunState::Failed: return VersionStatus::Failed;
    }
    return VersionStatus::Stopped;
}

ModelRuntime::ModelRuntime(int threads_per_model, StateListener listener)
    : threads_(threads_per_model), listener_(std::move(listener)) {}

ModelRuntime::~ModelRuntime() {
    std::vector<std::string> running;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [arn, slot] : slots_)
            if (slot.state == RunState::Running || slot.state == RunState::Starting) running.push_back(arn);
    }
    wait_idle();
    for (const auto& arn : running) stop(arn);
    wait_idle();
    std::lock_guard lock(mutex_);
    for (auto& [id, t] : workers_) t.join();
}

void ModelRuntime::run_in_background(std::function<void()> work) {
    // Callers hold mutex_. Loading and draining take seconds; a thread each is simplest and
    // these are rare events. Threads that finished earlier are joined here, or every
    // Start/StopProjectVersion would leave one behind for the server's lifetime.
    join_finished();
    ++busy_;
    std::thread t([this, work = std::move(work)] {
        work();
        std::lock_guard lock(mutex_);
        --busy_;
        finished_.push_back(std::this_thread::get_id());  // joined by the next caller, under mutex_
        changed_.notify_all();
    });
    // The thread cannot report itself finished before this: it needs mutex_, which the caller holds.
    const auto id = t.get_id();
    workers_.emplace(id, std::move(t));
}

void ModelRuntime::join_finished() {
    // A finished thread only has to return once it released mutex_: joining it here is brief.
    for (const auto id : finished_) {
        auto it = workers_.find(id);
        it->second.join();
        workers_.erase(it);
    }
    finished_.clear();
}

void ModelRuntime::settle(const std::string& arn, RunState state, const std::string& message,
                          std::shared_ptr<InferenceWorker> worker) {
    {
        std::lock_guard lock(mutex_);
        Slot& slot = slots_[arn];
        slot.state = state;
        slot.message = message;
        slot.worker = std::move(worker);
        slot.last_used_ms = now_ms();
        changed_.notify_all();
    }
    if (listener_) listener_(arn, state, message);
}

int ModelRuntime::units(const std::string& arn) const {
    std::lock_guard lock(mutex_);
    const auto it = slots_.find(arn);
    return it != slots_.end() && it->second.worker ? static_cast<int>(it->second.worker->units()) : 0;
}

void ModelRuntime::start(const std::string& arn, const std::filesystem::path& model_dir, int units) {
    std::lock_guard lock(mutex_);
    Slot& slot = slots_[arn];
    if (slot.state == RunState::Running || slot.state == RunState::Starting) return;
    if (slot.state == RunState::Stopping) throw Conflict("model " + arn + " is stopping; start it again when STOPPED");
    slot.state = RunState::Starting;
    slot.message = "The model is being started.";
    run_in_background([this, arn, model_dir, units] {
        try {
            std::vector<std::shared_ptr<infer::Predictor>> predictors;
            for (int i = 0; i < std::max(units, 1); ++i)
                predictors.push_back(std::make_shared<infer::Predictor>(infer::Predictor::load(model_dir, "", threads_)));
            settle(arn, RunState::Running, "The model is running.", std::make_shared<InferenceWorker>(std::move(predictors)));
        } catch (const std::exception& e) {
            settle(arn, RunState::Failed, std::string("The model could not be started: ") + e.what(), nullptr);
        }
    });
}

void ModelRuntime::stop(const std::string& arn) {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(arn);
    if (it == slots_.end() || it->second.state != RunState::Running) return;
    // New requests see STOPPING at once; the ones holding the predictor finish first.
    std::shared_ptr<InferenceWorker> draining = std::move(it->second.worker);
    it->second.state = RunState::Stopping;
    it->second.message = "The model is being stopped.";
    run_in_background([this, arn, draining = std::move(draining)]() mutable {
        while (draining.use_count() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        draining.reset();
        settle(arn, RunState::Stopped, "The model is stopped.", nullptr);
    });
}

RunState ModelRuntime::state(const std::string& arn) const {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(arn);
    return it == slots_.end() ? RunState::Stopped : it->second.state;
}

std::string ModelRuntime::message(const std::string& arn) const {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(arn);
    return it == slots_.end() ? "" : it->second.message;
}

std::shared_ptr<InferenceWorker> ModelRuntime::borrow(const std::string& arn) const {
    std::lock_guard lock(mutex_);
    auto it = slots_.find(arn);
    if (it == slots_.end() || it->second.state != RunState::Running) return nullptr;
    it->second.last_used_ms = now_ms();
    return it->second.worker;
}

std::vector<ModelRuntime::Idle> ModelRuntime::running_idle() const {
    std::lock_guard lock(mutex_);
    std::vector<Idle> out;
    const int64_t now = now_ms();
    for (const auto& [arn, slot] : slots_)
        if (slot.state == RunState::Running) out.push_back({arn, now - slot.last_used_ms});
    return out;
}

void ModelRuntime::wait_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return busy_ == 0; });
    join_finished();
}

}  // namespace apiary::service
