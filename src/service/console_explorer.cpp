// The console's evaluation explorer: precision, recall and F1 at any threshold and each test
// image's TP/FP/FN boxes, answered from the predictions stored with the model — the same
// library calls as `apiary evaluate --min-confidence` and `apiary draw --evaluation`.
#include <algorithm>
#include <optional>

#include "core/text.h"
#include "service/api_error.h"
#include "service/console_endpoints.h"
#include "service/rekognition_api.h"
#include "store/catalog.h"
#include "train/outcome_picture.h"
#include "train/stored_evaluation.h"
#include "vision/image_probe.h"

namespace apiary::service {

namespace {

// minConfidence=0..100 → 0..1; absent: each label's assumed threshold.
std::optional<double> threshold_of(const HttpRequest& req) {
    if (!req.has_param("minConfidence")) return std::nullopt;
    const std::string text = req.param("minConfidence");
    size_t used = 0;
    double value = -1;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
    }
    if (used != text.size() || !(value >= 0 && value <= 100))
        throw ApiError(400, "BadRequest", "minConfidence must be a number from 0 to 100");
    return value / 100;
}

train::StoredEvaluation stored_of(RekognitionApi& rekognition, const HttpRequest& req) {
    const auto version = rekognition.version(req.param("projectVersionArn"));
    return rekognition.with_catalog(
        [&](store::Catalog& c) { return train::load_stored_evaluation(c, version.project, version.arn); });
}

}  // namespace

Json ConsoleEndpoints::evaluation_at(const HttpRequest& req) {
    const auto threshold = threshold_of(req);
    return stored_of(rekognition_, req).at(threshold);
}

Json ConsoleEndpoints::evaluation_images(const HttpRequest& req) {
    const auto threshold = threshold_of(req);
    const std::string label = req.param("label"), kind = req.param("kind");
    if (!kind.empty() && kind != "tp" && kind != "fp" && kind != "fn")
        throw ApiError(400, "BadRequest", "kind must be tp, fp or fn");
    const auto stored = stored_of(rekognition_, req);
    const std::map<std::string, double> thresholds =
        threshold ? std::map<std::string, double>{} : stored.thresholds;
    const double fallback = threshold.value_or(1.0);  // as StoredEvaluation::at
    // The pictures come from the test dataset; a version tested on an automatic split of a copy
    // of the training data (no test dataset) finds them in the training dataset.
    const auto test = rekognition_.with_catalog([&](store::Catalog& c) {
        const auto project = c.project(stored.version.project);
        auto found = c.find_dataset(project, "test");
        return found && found->entries > 0 ? found : c.find_dataset(project, "train");
    });

    struct Listed {
        Json json;
        int64_t wrong = 0;
    };
    std::vector<Listed> listed;
    for (const auto& image : stored.predictions.images) {
        const auto judged = eval::StoredPredictions::judge(image, thresholds, fallback);
        int64_t tp = 0, fp = 0, fn = 0;
        bool wanted = kind.empty() && label.empty();
        Json boxes = Json::array();
        for (const auto& b : judged) {
            (b.outcome == eval::Outcome::TruePositive ? tp : b.outcome == eval::Outcome::FalsePositive ? fp : fn)++;
            const std::string name = train::outcome_code(b.outcome);
            if ((label.empty() || b.label == label) && (kind.empty() || iequals(kind, name))) wanted = true;
            boxes.push_back({{"label", b.label},
                             {"left", b.box.left},
                             {"top", b.box.top},
                             {"width", b.box.width},
                             {"height", b.box.height},
                             {"confidence", b.confidence * 100},
                             {"outcome", name}});
        }
        if (!wanted) continue;
        Json j = {{"ref", image.image}, {"truePositives", tp}, {"falsePositives", fp}, {"falseNegatives", fn},
                  {"boxes", boxes}};
        if (test) {
            if (const auto e = rekognition_.with_catalog([&](store::Catalog& c) { return c.entry(*test, image.image); })) {
                j["width"] = e->image.width;
                j["height"] = e->image.height;
                j["orientation"] = vision::probe_image(e->image_path).exif_orientation;
            }
        }
        listed.push_back({std::move(j), fp + fn});
    }
    std::stable_sort(listed.begin(), listed.end(), [](const Listed& a, const Listed& b) { return a.wrong > b.wrong; });
    Json images = Json::array();
    for (auto& l : listed) images.push_back(std::move(l.json));
    return {{"datasetArn", test ? Json(test->arn) : Json()}, {"images", images}};
}

}  // namespace apiary::service
