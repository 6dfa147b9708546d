#include "infer/predictor.h"

#include <algorithm>
#include <cmath>

#include <mutex>

#include "infer/classifier_run.h"
#include "infer/detector_run.h"
#include "infer/device.h"
#include "infer/model_artifact.h"
#include "nn/runtime.h"

namespace apiary::infer {

struct Predictor::Impl {
    LoadedModel model;
    int threads = 0;
    std::mutex mutex;  // one forward pass at a time per model
};

Predictor::Predictor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Predictor::~Predictor() = default;
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;

Predictor Predictor::load(const std::filesystem::path& model_dir, const std::string& device, int threads) {
    nn::configure_runtime(threads);
    auto impl = std::make_unique<Impl>();
    impl->model = load_model(model_dir, device.empty() ? default_device() : torch::Device(device));
    impl->threads = threads;
    return Predictor(std::move(impl));
}

const ModelManifest& Predictor::manifest() const { return impl_->model.manifest; }

void Predictor::adopt_thread_settings() const { nn::configure_runtime(impl_->threads); }

namespace {

// Best first, at most max_results (0: all).
void order_and_cut(std::vector<CustomLabel>& out, size_t max_results) {
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
    if (max_results && out.size() > max_results) out.resize(max_results);
}

// A classifier's answer: every label at or above its threshold, about the whole image.
std::vector<CustomLabel> classify(LoadedModel& model, std::mutex& mutex, const cv::Mat& bgr,
                                  const DetectOptions& options) {
    std::vector<double> scores;
    {
        std::lock_guard lock(mutex);
        scores = run_classifier(*model.classifier, {bgr}, model.manifest.input_size).at(0);
    }
    std::vector<CustomLabel> out;
    const auto& labels = model.manifest.labels;
    const Box whole{0, 0, double(bgr.cols), double(bgr.rows)};
    for (size_t i = 0; i < labels.size() && i < scores.size(); ++i) {
        const double confidence = reported_confidence(model.manifest.calibration.apply(labels[i], scores[i]));
        const double min = options.min_confidence ? *options.min_confidence
                                                  : reported_confidence(model.manifest.thresholds.at(labels[i]));
        if (confidence < min) continue;
        out.push_back({labels[i], confidence, Box{0, 0, 1, 1}, whole, false});
    }
    order_and_cut(out, options.max_results);
    return out;
}

}  // namespace

std::vector<CustomLabel> Predictor::detect(const cv::Mat& bgr, const DetectOptions& options) {
    auto& model = impl_->model;
    if (model.manifest.classifies()) return classify(model, impl_->mutex, bgr, options);
    RunOptions run;
    run.input_size = model.manifest.input_size;
    run.top_k = model.manifest.max_detections;
    run.flip_test = options.flip_test.value_or(model.manifest.training.value("flip_test", false));
    run.tile_fraction = model.manifest.tile_fraction();
    std::vector<nn::Detection> detections;
    {
        std::lock_guard lock(impl_->mutex);
        detections = run_detector(*model.net, {bgr}, run).at(0);
    }
    std::vector<CustomLabel> out;
    const auto& labels = model.manifest.labels;
    for (const auto& d : detections) {
        if (d.class_id < 0 || d.class_id >= static_cast<int64_t>(labels.size())) continue;
        const std::string& name = labels[static_cast<size_t>(d.class_id)];
        const double confidence = reported_confidence(model.manifest.calibration.apply(name, d.score));
        const double min = options.min_confidence ? *options.min_confidence
                                                  : reported_confidence(model.manifest.thresholds.at(name));
        if (confidence < min) continue;
        // Decoding already clipped the box to the image; an untrained box head can still
        // predict an inverted one.
        const Box& px = d.box;
        if (px.width <= 0 || px.height <= 0) continue;
        const double w = bgr.cols, h = bgr.rows;
        out.push_back({name, confidence, Box{px.left / w, px.top / h, px.width / w, px.height / h}, px});
    }
    order_and_cut(out, options.max_results);
    return out;
}

namespace {
// Divide (exact integer / power of ten) rather than multiply by 1e-6, so the result is the
// double nearest the decimal and prints short.
double round_to(double v, double step) { return std::round(v / step) / std::round(1 / step); }
}  // namespace

double reported_confidence(double probability) { return round_to(100.0 * probability, 1e-3); }

Json to_custom_labels_json(const std::vector<CustomLabel>& labels) {
    Json arr = Json::array();
    for (const auto& l : labels) {
        if (!l.geometry) {
            arr.push_back({{"Name", l.name}, {"Confidence", round_to(l.confidence, 1e-3)}});
            continue;
        }
        arr.push_back({{"Name", l.name},
                       {"Confidence", round_to(l.confidence, 1e-3)},
                       {"Geometry",
                        {{"BoundingBox",
                          {{"Width", round_to(l.box.width, 1e-6)},
                           {"Height", round_to(l.box.height, 1e-6)},
                           {"Left", round_to(l.box.left, 1e-6)},
                           {"Top", round_to(l.box.top, 1e-6)}}}}}});
    }
    return {{"CustomLabels", arr}};
}

}  // namespace apiary::infer
