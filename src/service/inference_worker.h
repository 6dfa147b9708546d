#pragma once
// One thread per running model that runs every forward pass, fed by a queue: the HTTP threads
// decode their images in parallel and wait here for the network. Keeping the network on one
// thread keeps its OpenMP team and its memory (one malloc arena) warm, instead of each of the
// server's threads growing its own; measured under 16 clients: BENCHMARKS.md.
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "infer/predictor.h"

namespace apiary::service {

class InferenceWorker {
public:
    explicit InferenceWorker(std::shared_ptr<infer::Predictor> predictor);
    // One thread per predictor (StartProjectVersion's MinInferenceUnits), all fed by one queue:
    // each network stays on its own thread, and n requests run at once.
    explicit InferenceWorker(std::vector<std::shared_ptr<infer::Predictor>> predictors);
    ~InferenceWorker();  // finishes the queued requests, then stops
    InferenceWorker(const InferenceWorker&) = delete;
    InferenceWorker& operator=(const InferenceWorker&) = delete;

    // Blocks until the model has run on `bgr`; rethrows what detection threw.
    std::vector<infer::CustomLabel> detect(const cv::Mat& bgr, const infer::DetectOptions& options);
    size_t waiting() const;
    size_t units() const { return predictors_.size(); }

private:
    struct Job {
        const cv::Mat* image;
        const infer::DetectOptions* options;
        std::promise<std::vector<infer::CustomLabel>> result;
    };
    void run(size_t unit);

    std::vector<std::shared_ptr<infer::Predictor>> predictors_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job*> jobs_;
    bool closing_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace apiary::service
