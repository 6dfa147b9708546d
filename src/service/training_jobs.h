#pragma once
// Background training for CreateProjectVersion: a FIFO of (project, version) jobs run one at a
// time on a thread of their own, each with its own catalog connection. The version row exists
// (TRAINING_IN_PROGRESS) before a job is queued, so a crash or shutdown at any point leaves a
// row that resume_interrupted() picks up again at the next start: the job continues from its
// checkpoint, or starts over when it had none — a version is never left in progress forever.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/data_dir.h"
#include "train/train_config.h"

namespace apiary::service {

struct TrainingJob {
    std::string project;
    std::string version;  // name
};

class TrainingJobs {
public:
    // Runs after a job ends (completed, failed or interrupted by shutdown), on the job thread.
    using Finished = std::function<void(const TrainingJob&)>;

    TrainingJobs(store::DataDir dir, train::TrainConfig defaults, Finished finished = {});
    ~TrainingJobs();  // interrupts the running job (its checkpoint is kept) and joins
    TrainingJobs(const TrainingJobs&) = delete;
    TrainingJobs& operator=(const TrainingJobs&) = delete;

    const train::TrainConfig& defaults() const { return defaults_; }

    void enqueue(TrainingJob job);
    size_t queued();  // waiting, not counting the one running
    // Queues every version still TRAINING_IN_PROGRESS in the catalog; returns how many.
    size_t resume_interrupted();
    // Blocks until the queue is empty and no job runs (tests).
    void wait_idle();

private:
    void run();
    void train_one(const TrainingJob& job);

    store::DataDir dir_;
    train::TrainConfig defaults_;
    Finished finished_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<TrainingJob> queue_;
    bool running_job_ = false;
    bool closing_ = false;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace apiary::service
