#include "service/training_jobs.h"

#include <iostream>

#include "store/catalog.h"
#include "train/project_training.h"

namespace apiary::service {

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
        }
        train_one(job);
        if (finished_) finished_(job);
        std::lock_guard lock(mutex_);
        running_job_ = false;
        changed_.notify_all();
    }
}

void TrainingJobs::train_one(const TrainingJob& job) {
    store::Catalog catalog(dir_);
    train::TrainRequest request;
    request.version_name = job.version;
    request.config = defaults_;
    request.into_existing_version = true;
    try {
        const auto summary = train::train_project(catalog, job.project, request, {}, &stop_);
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
