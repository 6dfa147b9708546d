#pragma once
// model.json of a model version: what a predictor needs besides the weights (no libtorch here).
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "eval/calibration.h"

namespace apiary::infer {

struct ModelManifest {
    static constexpr int kFormatVersion = 1;
    std::string architecture = "centernet-mobilenetv3-large";  // or kClassifierArchitecture
    static constexpr const char* kClassifierArchitecture = "classifier-mobilenetv3-large";
    // data::to_string(TaskType): "object-detection" (absent in older models), "classification"
    // (one label per image: softmax) or "multi-label-classification" (sigmoid per label).
    std::string task = "object-detection";
    bool classifies() const { return task != "object-detection"; }
    std::vector<std::string> labels;
    int input_size = 512;
    std::map<std::string, double> thresholds;  // per label, 0..1, on the calibrated scale
    // Raw network score -> probability of a true positive, per label. Absent in models trained
    // before calibration existed: the identity.
    eval::ScoreCalibration calibration;
    // Heatmap peaks decoded per image: follows the densest training image (train/auto_config.h),
    // so a frame of hundreds of objects is not cut at a fixed 100. Absent in older models: 100.
    int max_detections = 100;
    Json metrics = Json::object();             // evaluation overview
    Json training = Json::object();            // the configuration that produced it
    // Share of the longer side each tile covers for small objects (vision/tiles.h); 0: none.
    double tile_fraction() const { return std::max(0.0, training.value("tile_fraction", 0.0)); }
    std::string dataset_hash;
    int64_t created_ms = 0;

    Json to_json() const;
    static ModelManifest from_json(const Json& j, const std::string& file);  // Error naming the field
};

}  // namespace apiary::infer
