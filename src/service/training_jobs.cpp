#include "service/training_jobs.h"

#include <algorithm>
#include <iostream>

#include "store/catalog.h"
#include "train/project_training.h"

namespace apiary::service {

namespace {
const char* const kCancelled = "Training was cancelled.";
}  // namespace

TrainingJobs::TrainingJobs(store::DataDir dir, train::TrainConfig defaults, Finished finished)
    : dir_(std::move(dir)), defaults_(std::move(defaults)), finished_(std::move(finished)) {
    thread_ = std::thread([this] { run(); });
}

TrainingJobs::~TrainingJobs() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        stop_ = true;
        changed_.notify_all();
    }
    thread_.join();
}

void TrainingJobs::enqueue(TrainingJob job) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    changed_.notify_all();
}

size_t TrainingJobs::queued() {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

size_t TrainingJobs::resume_interrupted() {
    store::Catalog catalog(dir_);
    size_t n = 0;
    for (const auto& project : catalog.list_projects()) {
        auto versions = catalog.versions(project);
        // Oldest first, the order they were asked for.
        for (auto it = versions.rbegin(); it != versions.rend(); ++it)
            if (it->status == store::VersionStatus::TrainingInProgress) {
                enqueue({project.name, it->name});
                ++n;
            }
    }
    return n;
}

void TrainingJobs::wait_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return queue_.empty() && !running_job_; });
}

void TrainingJobs::run() {
    for (;;) {
        TrainingJob job;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [this] { return closing_ || !queue_.empty(); });
            if (closing_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
            running_job_ = true;
            running_ = TrainingProgress{job, true};
        }
        train_one(job);
        if (finished_) finished_(job);
        std::lock_guard lock(mutex_);
        running_job_ = false;
        if (cancel_running_ && !closing_) stop_ = false;  // a cancel stops one job, not the queue
        cancel_running_ = false;
        changed_.notify_all();
    }
}

std::vector<TrainingProgress> TrainingJobs::progress() {
    std::lock_guard lock(mutex_);
    std::vector<TrainingProgress> out;
    if (running_job_) out.push_back(running_);
    for (const auto& job : queue_) out.push_back({job});
    return out;
}

bool TrainingJobs::cancel(const TrainingJob& job) {
    const auto same = [&](const TrainingJob& j) { return j.project == job.project && j.version == job.version; };
    {
        std::lock_guard lock(mutex_);
        if (running_job_ && same(running_.job)) {
            cancel_running_ = true;
            stop_ = true;
            return true;  // train_one ends the version when the run returns
        }
        const auto it = std::find_if(queue_.begin(), queue_.end(), same);
        if (it == queue_.end()) return false;
        queue_.erase(it);
        changed_.notify_all();
    }
    store::Catalog catalog(dir_);
    train::cancel_training(catalog, catalog.version(catalog.project(job.project), job.version), kCancelled);
    return true;
}

void TrainingJobs::train_one(const TrainingJob& job) {
    store::Catalog catalog(dir_);
    train::TrainRequest request;
    request.version_name = job.version;
    request.into_existing_version = true;
    train::TrainerCallbacks callbacks;
    callbacks.on_step = [this](const train::StepReport& r) {
        std::lock_guard lock(mutex_);
        running_.epoch = r.epoch, running_.epochs = r.epochs, running_.step = r.step, running_.steps = r.steps;
        running_.loss = r.loss, running_.val_ap50 = r.val_ap50, running_.elapsed_s = r.elapsed_s, running_.eta_s = r.eta_s;
        running_.metric = r.metric;
    };
    try {
        // The knobs stored with the version when it was asked for (the server's defaults and
        // any TrainingOptions), so a resumed job trains as it began.
        const auto version = catalog.version(catalog.project(job.project), job.version);
        request.config = train::TrainConfig::from_json(version.config);
        // The copy of its data the version was given when it was created (versions made before
        // Apiary kept copies train on the project's datasets).
        if (auto train = catalog.version_entries(version, "train"); !train.empty())
            request.data = train::TrainRequest::Data{store::parse_task(version.config.value("task", "object-detection")),
                                                     std::move(train), catalog.version_entries(version, "test")};
        const auto summary = train::train_project(catalog, job.project, request, callbacks, &stop_);
        bool cancelled;
        {
            std::lock_guard lock(mutex_);
            cancelled = cancel_running_;
        }
        if (summary.interrupted && cancelled) {
            train::cancel_training(catalog, summary.version, kCancelled);
            std::clog << "training " << job.project << "/" << job.version << " cancelled\n";
            return;
        }
        std::clog << "training " << job.project << "/" << job.version
                  << (summary.interrupted ? " interrupted; it resumes at the next start\n" : " completed\n");
    } catch (const std::exception& e) {
        // train_project marks failures inside its training loop; errors before it (no
        // images, no labels, a deleted project) must not leave the version in progress.
        std::clog << "training " << job.project << "/" << job.version << " failed: " << e.what() << "\n";
        try {
            const auto project = catalog.project(job.project);
            const auto v = catalog.version(project, job.version);
            if (v.status == store::VersionStatus::TrainingInProgress)
                catalog.update_version(v, store::VersionStatus::TrainingFailed, e.what(), Json::object());
        } catch (const std::exception&) {
            // The project or version is gone: nothing left to mark.
        }
    }
}

}  // namespace apiary::service
