#include "service/inference_worker.h"

namespace apiary::service {

InferenceWorker::InferenceWorker(std::shared_ptr<infer::Predictor> predictor)
    : InferenceWorker(std::vector<std::shared_ptr<infer::Predictor>>{std::move(predictor)}) {}

InferenceWorker::InferenceWorker(std::vector<std::shared_ptr<infer::Predictor>> predictors)
    : predictors_(std::move(predictors)) {
    for (size_t i = 0; i < predictors_.size(); ++i) threads_.emplace_back([this, i] { run(i); });
}

InferenceWorker::~InferenceWorker() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

std::vector<infer::CustomLabel> InferenceWorker::detect(const cv::Mat& bgr, const infer::DetectOptions& options) {
    Job job{&bgr, &options, {}};
    auto done = job.result.get_future();
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(&job);
    }
    wake_.notify_one();
    return done.get();  // the job lives on this stack until the worker has answered it
}

size_t InferenceWorker::waiting() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void InferenceWorker::run(size_t unit) {
    infer::Predictor& predictor = *predictors_[unit];
    predictor.adopt_thread_settings();
    for (;;) {
        Job* job = nullptr;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return closing_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // closing, and every queued job answered
            job = jobs_.front();
            jobs_.pop_front();
        }
        try {
            job->result.set_value(predictor.detect(*job->image, *job->options));
        } catch (...) {
            job->result.set_exception(std::current_exception());
        }
    }
}

}  // namespace apiary::service
