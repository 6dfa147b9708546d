#pragma once
// DetectCustomLabels on this machine: a loaded model version turns an image into the
// reference service's response, {"CustomLabels":[{"Name","Confidence","Geometry":{"BoundingBox"}}]}
// (a classification model: {"CustomLabels":[{"Name","Confidence"}]}, best first).
// No libtorch in this header: the CLI, service and pipeline include it.
#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "core/json.h"
#include "infer/model_manifest.h"

namespace apiary::infer {

// A calibrated probability (0..1) as the API reports it: percent, to 0.001. Labels are kept by
// comparing this value with MinConfidence (or the assumed threshold, rounded alike), so a label
// answered with Confidence 94.3 is kept at MinConfidence 94.3 (unrounded, 94.29996 was dropped).
double reported_confidence(double probability);

struct CustomLabel {
    std::string name;
    double confidence = 0;  // 0..100
    Box box;                // relative to the image: 0..1
    Box pixels;             // the same box in image pixels
    // False for a classifier's label, which is about the whole image: the response has no
    // Geometry, as the reference service's classification models answer (box: the whole image).
    bool geometry = true;
};

struct DetectOptions {
    // Keep labels with at least this confidence (0..100); unset: each label's assumed threshold.
    std::optional<double> min_confidence;
    size_t max_results = 0;  // 0: no limit
    // Mirror-image averaging; unset: as the model was evaluated (model.json training.flip_test).
    // Off halves the latency.
    std::optional<bool> flip_test;
};

class Predictor {
public:
    // Loads and checks a model directory (see model_artifact.h). `device`: "cpu", "cuda", "cuda:1";
    // empty picks the default (APIARY_DEVICE, else CUDA when present, else CPU). `threads`: CPU
    // threads for inference, 0 = every core (libtorch's pool is process-wide).
    static Predictor load(const std::filesystem::path& model_dir, const std::string& device = "", int threads = 0);
    ~Predictor();
    Predictor(Predictor&&) noexcept;
    Predictor& operator=(Predictor&&) noexcept;

    // `bgr` is an upright BGR image (vision::decode_image_*). Thread-safe.
    std::vector<CustomLabel> detect(const cv::Mat& bgr, const DetectOptions& options = {});

    const ModelManifest& manifest() const;

    // Applies the `threads` given to load() to the calling thread: with OpenMP every thread that
    // runs forward passes keeps its own thread count (a dedicated inference thread calls this once).
    void adopt_thread_settings() const;

private:
    struct Impl;
    explicit Predictor(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

Json to_custom_labels_json(const std::vector<CustomLabel>& labels);

}  // namespace apiary::infer
