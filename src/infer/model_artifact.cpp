#include "infer/model_artifact.h"

#include "core/arn.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

namespace apiary::infer {
namespace fs = std::filesystem;

namespace {
const char* kManifest = "model.json";
const char* kWeights = "weights.pt";
}  // namespace

Json ModelManifest::to_json() const {
    Json t = Json::object();
    for (const auto& [label, v] : thresholds) t[label] = v;
    return {{"format_version", kFormatVersion},
            {"architecture", architecture},
            {"labels", labels},
            {"input_size", input_size},
            {"thresholds", t},
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
        m.labels = field("labels").get<std::vector<std::string>>();
        m.input_size = field("input_size").get<int>();
        for (const auto& [label, v] : field("thresholds").items()) m.thresholds[label] = v.get<double>();
        m.metrics = field("metrics");
        m.training = field("training");
        m.dataset_hash = field("dataset_hash").get<std::string>();
        m.created_ms = field("created_ms").get<int64_t>();
    } catch (const Json::exception& e) {
        throw Error(Location{file}, std::string("malformed model manifest: ") + e.what());
    }
    if (m.labels.empty()) throw Error(Location{file, 0, "labels"}, "a model needs at least one label");
    if (m.input_size % nn::CenterNetImpl::kAlign != 0 || m.input_size <= 0)
        throw Error(Location{file, 0, "input_size"}, "must be a positive multiple of 32");
    return m;
}

void save_weights(const fs::path& file, nn::CenterNet& net) {
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    const fs::path tmp = file.string() + ".partial";
    torch::save(net, tmp.string());
    fs::rename(tmp, file);
}

void load_weights(const fs::path& file, nn::CenterNet& net) {
    try {
        torch::load(net, file.string());
    } catch (const c10::Error&) {
        throw Error(Location{file.string()}, "cannot read weights (corrupt or from another model shape)");
    }
}

void save_model(const fs::path& dir, nn::CenterNet& net, const ModelManifest& manifest,
                const std::map<std::string, std::string>& extra_files) {
    if (fs::exists(dir)) throw Conflict("model directory already exists: " + dir.string());
    const fs::path staging = dir.parent_path() / ("." + dir.filename().string() + ".staging");
    fs::remove_all(staging);
    fs::create_directories(staging);
    Json j = manifest.to_json();
    Json files = Json::object();
    save_weights(staging / kWeights, net);
    files[kWeights] = sha256_file_hex(staging / kWeights);
    for (const auto& [name, content] : extra_files) {
        write_file_atomic(staging / name, content);
        files[name] = sha256_hex(content);
    }
    j["files"] = files;
    write_file_atomic(staging / kManifest, j.dump(2));
    fs::rename(staging, dir);
}

LoadedModel load_model(const fs::path& dir, torch::Device device) {
    const fs::path manifest_path = dir / kManifest;
    if (!fs::is_directory(dir)) throw NotFound("no model at " + dir.string());
    if (!fs::exists(manifest_path))
        throw Error(Location{manifest_path.string()}, "model.json is missing: the model is incomplete");
    Json j;
    try {
        j = Json::parse(read_file(manifest_path));
    } catch (const Json::exception& e) {
        throw Error(Location{manifest_path.string()}, std::string("model.json is not valid JSON: ") + e.what());
    }
    LoadedModel m;
    m.manifest = ModelManifest::from_json(j, manifest_path.string());
    if (!j.contains("files") || !j["files"].is_object())
        throw Error(Location{manifest_path.string(), 0, "files"}, "missing file checksums");
    for (const auto& [name, sum] : j["files"].items()) {
        const fs::path f = dir / name;
        if (!fs::exists(f)) throw Error(Location{f.string()}, "file of the model is missing");
        if (sha256_file_hex(f) != sum.get<std::string>())
            throw Error(Location{f.string()}, "checksum mismatch: the file is damaged");
    }
    m.net = nn::CenterNet(static_cast<int64_t>(m.manifest.labels.size()));
    load_weights(dir / kWeights, m.net);
    m.net->to(device);
    m.net->eval();
    return m;
}

}  // namespace apiary::infer
