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
#include <vector>

#include "store/data_dir.h"
#include "train/train_config.h"

namespace apiary::service {

struct TrainingJob {
    std::string project;
    std::string version;  // name
};

// What the console shows of a job: the running one's latest step, or a place in the queue.
struct TrainingProgress {
    TrainingJob job;
    bool running = false;
    int epoch = 0, epochs = 0;      // 1-based epoch under way; 0 before the first step
    size_t step = 0, steps = 0;
    double loss = 0, val_ap50 = -1, elapsed_s = 0, eta_s = 0;
    std::string metric = "AP50";    // what val_ap50 measures (a classifier's: its mean AP over labels)
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
    // The running job first, then the queue in order.
    std::vector<TrainingProgress> progress();
    // Ends a queued or running job: its version is TRAINING_FAILED ("Training was cancelled.")
    // and its checkpoint removed. False when no such job is queued or running.
    bool cancel(const TrainingJob& job);

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
    TrainingProgress running_;       // valid while running_job_
    bool cancel_running_ = false;    // the running job was cancelled (stop_ is set too)
    bool closing_ = false;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace apiary::service
