#include "infer/model_manifest.h"

#include "core/error.h"

namespace apiary::infer {

Json ModelManifest::to_json() const {
    Json t = Json::object();
    for (const auto& [label, v] : thresholds) t[label] = v;
    return {{"format_version", kFormatVersion},
            {"architecture", architecture},
            {"task", task},
            {"labels", labels},
            {"input_size", input_size},
            {"thresholds", t},
            {"max_detections", max_detections},
            {"calibration", calibration.to_json()},
            {"metrics", metrics},
            {"training", training},
            {"dataset_hash", dataset_hash},
            {"created_ms", created_ms}};
}

ModelManifest ModelManifest::from_json(const Json& j, const std::string& file) {
    auto field = [&](const char* name) -> const Json& {
        if (!j.contains(name)) throw Error(Location{file, 0, name}, "missing field");
        return j.at(name);
    };
    ModelManifest m;
    try {
        if (field("format_version").get<int>() != kFormatVersion)
            throw Error(Location{file, 0, "format_version"},
                        "model format " + field("format_version").dump() + " is not supported by this apiary");
        m.architecture = field("architecture").get<std::string>();
        m.task = j.value("task", m.task);
        m.labels = field("labels").get<std::vector<std::string>>();
        m.input_size = field("input_size").get<int>();
        for (const auto& [label, v] : field("thresholds").items()) m.thresholds[label] = v.get<double>();
        m.max_detections = j.value("max_detections", 100);
        if (j.contains("calibration")) m.calibration = eval::ScoreCalibration::from_json(j.at("calibration"), file);
        m.metrics = field("metrics");
        m.training = field("training");
        m.dataset_hash = field("dataset_hash").get<std::string>();
        m.created_ms = field("created_ms").get<int64_t>();
    } catch (const Json::exception& e) {
        throw Error(Location{file}, std::string("malformed model manifest: ") + e.what());
    }
    if (m.task != "object-detection" && m.task != "classification" && m.task != "multi-label-classification")
        throw Error(Location{file, 0, "task"}, "'" + m.task + "' is not object-detection, classification or "
                                                "multi-label-classification");
    if (m.classifies() != (m.architecture == kClassifierArchitecture))
        throw Error(Location{file, 0, "architecture"}, "'" + m.architecture + "' does not fit the task '" + m.task + "'");
    if (m.labels.empty()) throw Error(Location{file, 0, "labels"}, "a model needs at least one label");
    if (m.input_size % 32 != 0 || m.input_size <= 0)
        throw Error(Location{file, 0, "input_size"}, "must be a positive multiple of 32");
    if (m.max_detections < 1 || m.max_detections > 100000)
        throw Error(Location{file, 0, "max_detections"}, "must be between 1 and 100000");
    return m;
}

}  // namespace apiary::infer
