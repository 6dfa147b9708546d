// RekognitionApi: datasets — created from a Ground Truth manifest in one of this server's
// buckets (its source-refs pointing at objects in them) or copied from another dataset.
#include <algorithm>

#include "core/arn.h"
#include "core/base64.h"
#include "core/files.h"
#include "data/export.h"
#include "data/import.h"
#include "data/split.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

std::string dataset_type(const Json& req) {
    std::string type = required_string(req, "DatasetType");
    if (type != "TRAIN" && type != "TEST") throw rekognition::invalid_parameter("DatasetType must be TRAIN or TEST");
    std::transform(type.begin(), type.end(), type.begin(), ::tolower);
    return type;
}

// "s3://bucket/key" → {bucket, key}; nullopt for anything else.
std::optional<std::pair<std::string, std::string>> split_s3_uri(const std::string& uri) {
    if (!uri.starts_with("s3://")) return std::nullopt;
    const auto slash = uri.find('/', 5);
    if (slash == std::string::npos || slash == 5 || slash + 1 == uri.size()) return std::nullopt;
    return std::pair{uri.substr(5, slash - 5), uri.substr(slash + 1)};
}

}  // namespace

std::string RekognitionApi::object_bytes(const Json& s3_object, const std::string& field) {
    if (!s3_object.is_object()) throw rekognition::invalid_parameter(field + " must be an object");
    const std::string& bucket = required_string(s3_object, "Bucket");
    const std::string& key = required_string(s3_object, "Name");
    const auto info = objects_.find_object(bucket, key);
    if (!info) throw rekognition::invalid_s3_object("no object s3://" + bucket + "/" + key + " (" + field + ")");
    return objects_.read_object_bytes(bucket, key);
}

void RekognitionApi::import_lines(const store::ProjectInfo& project, const std::string& type,
                                  const std::string& manifest_text, const std::string& origin) {
    // The importer reads files; the manifest goes to a private temporary one.
    const fs::path tmp = dir_.root() / "tmp";
    fs::create_directories(tmp);
    const fs::path manifest = tmp / ("import-" + project.name + "-" + type + "-" + std::to_string(now_ms()) + ".manifest");
    write_file_atomic(manifest, manifest_text);
    data::ImportOptions options;
    options.format = data::Format::GroundTruth;
    options.resolver = [this](const std::string& ref) -> std::optional<fs::path> {
        const auto parts = split_s3_uri(ref);
        if (!parts || !objects_.bucket_exists(parts->first)) return std::nullopt;
        const auto info = objects_.find_object(parts->first, parts->second);
        return info ? info->blob : fs::path{};
    };
    data::ImportReport report;
    try {
        report = data::import_dataset(manifest, options);
    } catch (...) {
        fs::remove(manifest);
        throw;
    }
    fs::remove(manifest);
    // The report names the temporary file; name what the user gave instead.
    for (auto& issue : report.issues)
        if (issue.file == manifest.string()) issue.file = origin;
    const fs::path report_path = dir_.reports() / (project.name + "-" + type + "-import-" + std::to_string(now_ms()) + ".jsonl");
    std::string lines;
    for (const auto& issue : report.issues) lines += issue.to_json().dump() + "\n";
    fs::create_directories(dir_.reports());
    write_file_atomic(report_path, lines);
    if (report.entries.empty() && report.records > 0) {
        const std::string first = report.issues.empty() ? "" : "; first problem: " + report.issues.front().str();
        throw rekognition::invalid_parameter("none of the " + std::to_string(report.records) + " records of " + origin +
                                             " is usable" + first);
    }
    catalog_.import(project, report, type, report_path.string());
}

Json RekognitionApi::create_dataset(const Json& req) {
    const std::string type = dataset_type(req);
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(required_string(req, "ProjectArn"));
    if (catalog_.find_dataset(project, type))
        throw ApiError(400, "ResourceAlreadyExistsException", "project " + project.name + " already has a " + type + " dataset");
    const Json source = req.value("DatasetSource", Json::object());
    if (source.contains("GroundTruthManifest")) {
        const Json s3 = source["GroundTruthManifest"].value("S3Object", Json());
        const std::string text = object_bytes(s3, "DatasetSource.GroundTruthManifest.S3Object");
        import_lines(project, type, text, "s3://" + s3.value("Bucket", "") + "/" + s3.value("Name", ""));
    } else if (source.contains("DatasetArn")) {
        const auto from = dataset_of(source["DatasetArn"].get<std::string>());
        data::ImportReport copy;
        copy.task = from.task;
        copy.entries = catalog_.entries(from);
        copy.records = copy.entries.size();
        catalog_.import(project, copy, type, "");
    } else {
        catalog_.import(project, data::ImportReport{}, type, "");  // an empty dataset, filled by UpdateDatasetEntries
    }
    return {{"DatasetArn", catalog_.dataset(project, type).arn}};
}

Json RekognitionApi::describe_dataset(const Json& req) {
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(required_string(req, "DatasetArn"));
    const auto entries = catalog_.entries(d);
    const size_t labeled = std::count_if(entries.begin(), entries.end(), [](const data::Entry& e) {
        return !e.all_labels().empty();
    });
    return {{"DatasetDescription",
             {{"CreationTimestamp", epoch_seconds(d.created_ms)},
              {"LastUpdatedTimestamp", epoch_seconds(d.updated_ms)},
              {"Status", "UPDATE_COMPLETE"},
              {"StatusMessage", d.last_import_errors ? std::to_string(d.last_import_errors) +
                                                           " records were left out; see " + d.last_import_report
                                                     : "The dataset was successfully updated."},
              {"StatusMessageCode", d.last_import_errors ? "CLIENT_ERROR" : "SUCCESS"},
              {"DatasetStats",
               {{"LabeledEntries", labeled},
                {"TotalEntries", entries.size()},
                {"TotalLabels", catalog_.labels(d).size()},
                {"ErrorEntries", d.last_import_errors}}}}}};
}

Json RekognitionApi::list_dataset_entries(const Json& req) {
    std::vector<std::string> wanted;
    for (const auto& l : req.value("ContainsLabels", Json::array())) wanted.push_back(l.get<std::string>());
    // -1: either; 0: unlabeled only; 1: labeled only.
    const int labeled = req.contains("Labeled") ? (req["Labeled"].get<bool>() ? 1 : 0) : -1;
    const std::string contains = optional_string(req, "SourceRefContains").value_or("");
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(required_string(req, "DatasetArn"));
    std::vector<std::string> lines;
    for (auto& e : catalog_.entries(d)) {
        const auto labels = e.all_labels();
        if (labeled >= 0 && (labeled == 1) == labels.empty()) continue;
        if (!contains.empty() && e.source_ref.find(contains) == std::string::npos) continue;
        if (!wanted.empty() && std::none_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
                return std::find(labels.begin(), labels.end(), w) != labels.end();
            }))
            continue;
        e.image_path = e.source_ref;  // the line shows the reference the user gave, not our copy
        lines.push_back(data::to_manifest_line(e, d.task));
    }
    const Page page = page_of(req, lines.size(), 100, 100);
    Json out = {{"DatasetEntries", Json(std::vector<std::string>(lines.begin() + page.begin, lines.begin() + page.end))}};
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::list_dataset_labels(const Json& req) {
    std::lock_guard lock(catalog_mutex_);
    const auto labels = catalog_.labels(dataset_of(required_string(req, "DatasetArn")));
    const Page page = page_of(req, labels.size(), 100, 100);
    Json out = {{"DatasetLabelDescriptions", Json::array()}};
    for (size_t i = page.begin; i < page.end; ++i)
        out["DatasetLabelDescriptions"].push_back(
            {{"LabelName", labels[i].label},
             {"LabelStats", {{"EntryCount", labels[i].images}, {"BoundingBoxCount", labels[i].boxes}}}});
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::update_dataset_entries(const Json& req) {
    const Json changes = req.value("Changes", Json::object());
    const std::string& encoded = required_string(changes, "GroundTruth");
    const auto text = base64_decode(encoded);
    if (!text) throw rekognition::invalid_parameter("Changes.GroundTruth is not valid base64");
    if (text->size() > 5 * 1024 * 1024) throw rekognition::limit_exceeded("Changes.GroundTruth exceeds 5 MB");
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(required_string(req, "DatasetArn"));
    import_lines(catalog_.project(d.project), d.type, *text, "Changes.GroundTruth");
    return Json::object();
}

Json RekognitionApi::distribute_dataset_entries(const Json& req) {
    const Json datasets = req.value("Datasets", Json::array());
    if (datasets.size() != 2) throw rekognition::invalid_parameter("Datasets must name the project's TRAIN and TEST datasets");
    std::lock_guard lock(catalog_mutex_);
    std::optional<store::DatasetInfo> train, test;
    for (const auto& d : datasets) {
        const auto info = dataset_of(required_string(d, "Arn"));
        (info.type == "train" ? train : test) = info;
    }
    if (!train || !test || train->project != test->project)
        throw rekognition::invalid_parameter("Datasets must be one TRAIN and one TEST dataset of the same project");
    if (test->entries > 0) throw rekognition::in_use("the TEST dataset must be empty to distribute entries into it");
    // The reference service moves 20% of the training entries into the test dataset.
    auto all = catalog_.entries(*train);
    data::stratified_split(all, 20, 1);
    catalog_.redistribute(catalog_.project(train->project), all);
    return Json::object();
}

Json RekognitionApi::delete_dataset(const Json& req) {
    std::lock_guard lock(catalog_mutex_);
    catalog_.delete_dataset(dataset_of(required_string(req, "DatasetArn")));
    return Json::object();
}

}  // namespace apiary::service
