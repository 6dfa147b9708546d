#pragma once
// DetectCustomLabels on this machine: a loaded model version turns an image into the
// reference service's response, {"CustomLabels":[{"Name","Confidence","Geometry":{"BoundingBox"}}]}.
#include <opencv2/core.hpp>

#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "core/geometry.h"
#include "core/json.h"
#include "infer/model_artifact.h"

namespace apiary::infer {

struct CustomLabel {
    std::string name;
    double confidence = 0;  // 0..100
    Box box;                // relative to the image: 0..1
    Box pixels;             // the same box in image pixels
};

struct DetectOptions {
    // Keep labels with at least this confidence (0..100); unset: each label's assumed threshold.
    std::optional<double> min_confidence;
    size_t max_results = 0;  // 0: no limit
};

class Predictor {
public:
    Predictor(LoadedModel model, torch::Device device);
    static Predictor load(const std::filesystem::path& model_dir, torch::Device device);

    // `bgr` is an upright BGR image (vision::decode_image_*). Thread-safe.
    std::vector<CustomLabel> detect(const cv::Mat& bgr, const DetectOptions& options = {});

    const ModelManifest& manifest() const { return model_.manifest; }

private:
    LoadedModel model_;
    torch::Device device_;
    std::mutex mutex_;  // one forward pass at a time per model
};

Json to_custom_labels_json(const std::vector<CustomLabel>& labels);

}  // namespace apiary::infer
