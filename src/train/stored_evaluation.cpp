#include "train/stored_evaluation.h"

#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "infer/model_manifest.h"

namespace apiary::train {
namespace fs = std::filesystem;

namespace {

Json read_json(const fs::path& file) {
    if (!fs::exists(file))
        throw Error(Location{file.string()}, "missing: this version was trained before its predictions were stored");
    try {
        return Json::parse(read_file(file));
    } catch (const Json::exception& e) {
        throw Error(Location{file.string()}, std::string("not valid JSON: ") + e.what());
    }
}

}  // namespace

Json StoredEvaluation::at(std::optional<double> min_confidence) const {
    return min_confidence ? predictions.summary_at({}, *min_confidence) : predictions.summary_at(thresholds, 1.0);
}

const eval::StoredImage& StoredEvaluation::image(const std::string& name) const {
    for (const auto& img : predictions.images)
        if (img.image == name) return img;
    const eval::StoredImage* found = nullptr;
    for (const auto& img : predictions.images)
        if (fs::path(img.image).filename() == fs::path(name).filename()) {
            if (found) throw Error(Location{"", 0, "--evaluation"}, "several test images are named " + name +
                                                                        "; give the source-ref");
            found = &img;
        }
    if (!found) throw NotFound("no test image " + name + " in the evaluation of " + version.name);
    return *found;
}

StoredEvaluation load_stored_evaluation(store::Catalog& catalog, const std::string& project_name,
                                        const std::string& version) {
    const auto project = catalog.project(project_name);
    StoredEvaluation s;
    s.version = version.empty() ? catalog.latest_completed_version(project) : catalog.version(project, version);
    const fs::path dir = s.version.dir;
    s.predictions = eval::StoredPredictions::from_json(read_json(dir / "predictions.json"),
                                                       (dir / "predictions.json").string());
    s.thresholds = infer::ModelManifest::from_json(read_json(dir / "model.json"), (dir / "model.json").string()).thresholds;
    s.evaluation = read_json(dir / "evaluation.json");
    return s;
}

}  // namespace apiary::train
