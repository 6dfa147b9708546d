// The console's labelling endpoints: one entry read and saved with a version check, the stored
// grid and orientation of a gallery page's images at once, labels renamed or deleted across a
// project, a model run on a stored image for pre-labelling.
#include "core/base64.h"
#include "core/files.h"
#include "data/export.h"
#include "service/api_error.h"
#include "service/console_endpoints.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"
#include "store/catalog.h"
#include "store/relabel.h"
#include "vision/image_probe.h"

namespace apiary::service {

namespace {

data::Entry stored_entry(RekognitionApi& rekognition, const store::DatasetInfo& dataset, const std::string& ref) {
    auto entry = rekognition.with_catalog([&](store::Catalog& c) { return c.entry(dataset, ref); });
    if (!entry) throw ApiError(404, "NotFound", "the dataset holds no image with that source-ref");
    return *entry;
}

}  // namespace

Json ConsoleEndpoints::entry(const HttpRequest& req) {
    const auto dataset = rekognition_.dataset(req.param("dataset"));
    const data::Entry e = stored_entry(rekognition_, dataset, req.param("ref"));
    const int orientation = vision::probe_image(e.image_path).exif_orientation;
    const std::string version = RekognitionApi::entry_version(e);
    return {{"line", data::to_manifest_line(e, dataset.task)},
            {"version", version},
            {"width", e.image.width},
            {"height", e.image.height},
            {"orientation", orientation}};
}

Json ConsoleEndpoints::entry_pictures(const Json& body) {
    // A gallery page (50 images) in one request; the bound keeps one request's work small.
    constexpr size_t kMaxRefs = 100;
    const auto dataset = rekognition_.dataset(required_string(body, "datasetArn"));
    const Json refs = body.contains("refs") ? body["refs"] : Json();
    if (!refs.is_array() || refs.size() > kMaxRefs)
        throw ApiError(400, "BadRequest", "refs must be a list of at most " + std::to_string(kMaxRefs) + " source-refs");
    Json pictures = Json::object();
    for (const auto& r : refs) {
        if (!r.is_string()) throw ApiError(400, "BadRequest", "refs must be source-refs (strings)");
        const std::string ref = r.get<std::string>();
        const auto e = rekognition_.with_catalog([&](store::Catalog& c) { return c.entry(dataset, ref); });
        if (!e) continue;  // gone since the page was listed: nothing to turn upright
        pictures[ref] = {{"width", e->image.width},
                         {"height", e->image.height},
                         {"orientation", vision::probe_image(e->image_path).exif_orientation}};
    }
    return {{"pictures", pictures}};
}

Json ConsoleEndpoints::save_entry(const Json& body) {
    const std::string& arn = required_string(body, "datasetArn");
    const std::string& line = required_string(body, "line");
    const std::string version = optional_string(body, "version").value_or("");
    return {{"version", rekognition_.update_entry(arn, line, version)}};
}

Json ConsoleEndpoints::relabel(std::string_view action, const Json& body) {
    const auto project = rekognition_.project(required_string(body, "projectArn"));
    const int64_t changed = rekognition_.with_catalog([&](store::Catalog& c) {
        return action == "rename" ? store::rename_label(c, project, required_string(body, "from"), required_string(body, "to"))
                                  : store::delete_label(c, project, required_string(body, "label"));
    });
    return {{"entries", changed}};
}

Json ConsoleEndpoints::detect_entry(const Json& body) {
    const auto dataset = rekognition_.dataset(required_string(body, "datasetArn"));
    const data::Entry e = stored_entry(rekognition_, dataset, required_string(body, "ref"));
    // The stored image through DetectCustomLabels itself: the same limits, decoding and answer.
    return rekognition_.handle("DetectCustomLabels", {{"ProjectVersionArn", required_string(body, "projectVersionArn")},
                                                      {"Image", {{"Bytes", base64_encode(read_file(e.image_path))}}},
                                                      {"MinConfidence", 0}});
}

}  // namespace apiary::service
