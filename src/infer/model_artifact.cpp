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

void save_weights(const fs::path& file, torch::nn::Module& net) {
    write_file_atomic_with(file, [&](const fs::path& tmp) {
        try {
            torch::serialize::OutputArchive archive;
            net.save(archive);
            archive.save_to(tmp.string());
        } catch (const c10::Error& e) {
            throw IoError(Location{file.string()}, std::string("cannot write weights: ") + e.what_without_backtrace());
        }
    });
}

void load_weights(const fs::path& file, torch::nn::Module& net) {
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(file.string());
        net.load(archive);
    } catch (const c10::Error&) {
        throw Error(Location{file.string()}, "cannot read weights (corrupt or from another model shape)");
    }
}

void save_weights(const fs::path& file, nn::CenterNet& net) { save_weights(file, *net); }
void load_weights(const fs::path& file, nn::CenterNet& net) { load_weights(file, *net); }

namespace {

void save_model_of(const fs::path& dir, torch::nn::Module& net, const ModelManifest& manifest,
                   const std::map<std::string, std::string>& extra_files) {
    if (fs::exists(dir)) throw Conflict("model directory already exists: " + dir.string());
    std::string hidden = ".";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string&&
    hidden += dir.filename().string() + ".staging";
    const fs::path staging = dir.parent_path() / hidden;
    fs::remove_all(staging);
    create_directories_durably(staging);
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
    // Every file and the staging directory's entries are synced already; the rename makes the
    // version appear, durably, only now that it is complete.
    rename_durably(staging, dir);
}

}  // namespace

void save_model(const fs::path& dir, nn::CenterNet& net, const ModelManifest& manifest,
                const std::map<std::string, std::string>& extra_files) {
    save_model_of(dir, *net, manifest, extra_files);
}

void save_model(const fs::path& dir, nn::Classifier& net, const ModelManifest& manifest,
                const std::map<std::string, std::string>& extra_files) {
    save_model_of(dir, *net, manifest, extra_files);
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
    const auto labels = static_cast<int64_t>(m.manifest.labels.size());
    if (m.manifest.classifies()) {
        m.classifier = nn::Classifier(labels, m.manifest.task == "multi-label-classification");
        load_weights(dir / kWeights, *m.classifier);
        m.classifier->to(device);
        m.classifier->eval();
        return m;
    }
    m.net = nn::CenterNet(labels);
    load_weights(dir / kWeights, m.net);
    m.net->to(device);
    m.net->eval();
    return m;
}

}  // namespace apiary::infer
