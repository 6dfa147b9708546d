// RekognitionApi: datasets — created from a Ground Truth manifest in one of this server's
// buckets (its source-refs pointing at objects in them) or copied from another dataset.
#include <algorithm>

#include "core/arn.h"
#include "core/base64.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/json_parse.h"
#include "data/export.h"
#include "data/import.h"
#include "data/rejected_lines.h"
#include "data/split.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

std::string dataset_type(const Members& req) {
    const std::string& type = req.required_string("DatasetType");
    if (type != "TRAIN" && type != "TEST") throw rekognition::invalid_parameter("DatasetType must be TRAIN or TEST");
    return type == "TRAIN" ? "train" : "test";
}

// "s3://bucket/key" → {bucket, key}; nullopt for anything else.
std::optional<std::pair<std::string, std::string>> split_s3_uri(const std::string& uri) {
    if (!uri.starts_with("s3://")) return std::nullopt;
    const auto slash = uri.find('/', 5);
    if (slash == std::string::npos || slash == 5 || slash + 1 == uri.size()) return std::nullopt;
    return std::pair{uri.substr(5, slash - 5), uri.substr(slash + 1)};
}

// How many of the problems that left records out a message shows; the rest are in the server's
// report file.
constexpr size_t kProblemsShown = 5;

// The first problems that left records out (of `rejected` in all), for a message a client reads.
std::string rejected_summary(const std::vector<data::Issue>& issues, size_t rejected) {
    std::string out;
    size_t shown = 0;
    for (const auto& issue : issues) {
        if (issue.kept || shown == kProblemsShown) continue;
        out += (shown++ ? "; " : "") + issue.str();
    }
    if (shown == 0) return "the import report on the server lists them";
    if (rejected > shown) out += "; and " + std::to_string(rejected - shown) + " more";
    return out;
}

// Where UpdateDatasetEntries' manifests come from, as issues name them.
const std::string kChangesOrigin = "Changes.GroundTruth";

// The first problems that left records out, from a report file import_lines wrote (one JSON
// object per line); it stops reading once it has enough to show. A report of `apiary dataset
// import` on the server's own machine names local files: it is not shown to clients at all.
std::vector<data::Issue> read_report(const std::string& path) {
    std::vector<data::Issue> issues;
    std::error_code ec;
    if (path.empty() || !fs::exists(path, ec)) return issues;
    const std::string text = read_file(path);
    for (size_t start = 0; start < text.size() && issues.size() < kProblemsShown;) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        try {
            const Json j = parse_json_limited(std::string_view(text).substr(start, end - start));
            const std::string file = j.value("file", "");
            if (file != kChangesOrigin && !file.starts_with("s3://")) return {};
            if (!j.value("kept", false))
                issues.push_back({file, j.value("line", 0), j.value("field", ""), j.value("code", ""),
                                  j.value("reason", ""), false});
        } catch (const std::exception&) {
            // A report cut short by a crash: the lines before it still say something.
        }
        start = end + 1;
    }
    return issues;
}

}  // namespace

std::string RekognitionApi::object_bytes(const std::string& bucket, const std::string& key, const std::string& field) {
    const auto info = objects_.find_object(bucket, key);
    if (!info) throw rekognition::invalid_s3_object("no object s3://" + bucket + "/" + key + " (" + field + ")");
    return objects_.read_object_bytes(bucket, key);
}

data::ImportReport RekognitionApi::read_manifest(const std::string& manifest_text, const std::string& origin,
                                                const std::optional<store::DatasetInfo>& dataset) {
    // A remote client's manifest may name only objects in this server's buckets: never a file
    // of the server (file://, absolute or relative paths), and its issues name refs, not blobs.
    data::ImportOptions options;
    options.format = data::Format::GroundTruth;
    options.confinement = data::SourceConfinement::ResolverOnly;
    options.unlabelled_lines = true;  // as the reference service takes them
    // An entry the dataset already holds (also one imported from a local path by the CLI) keeps
    // its stored image when only its labels change.
    options.resolver = [&](const std::string& ref) -> std::optional<fs::path> {
        const auto parts = split_s3_uri(ref);
        if (!parts || !objects_.bucket_exists(parts->first)) {
            if (dataset)
                if (auto stored = catalog_.entry(*dataset, ref)) return stored->image_path;
            return std::nullopt;
        }
        const auto info = objects_.find_object(parts->first, parts->second);
        return info ? info->blob : fs::path{};
    };
    const data::ImportReport report = data::import_manifest_text(manifest_text, origin, options);
    // A ref outside the buckets is not a flaw in the data to import around but a request this
    // service does not serve (and, from a client probing the server's files, an attack): the
    // whole request is refused, naming each such line. Other problems leave only their line out.
    std::vector<data::Issue> refused;
    for (const auto& issue : report.issues)
        if (issue.code == "unmapped-source-ref") refused.push_back(issue);
    if (!refused.empty())
        throw rekognition::invalid_parameter(std::to_string(refused.size()) + " source-refs of " + origin +
                                             " name no object in this server's buckets: " +
                                             rejected_summary(refused, refused.size()));
    return report;
}

void RekognitionApi::import_lines(const store::ProjectInfo& project, const std::string& type,
                                  const std::string& manifest_text, const std::string& origin) {
    const auto dataset = catalog_.find_dataset(project, type);
    const data::ImportReport report = read_manifest(manifest_text, origin, dataset);
    const fs::path report_path = dir_.reports() / (project.name + "-" + type + "-import-" + std::to_string(now_ms()) + ".jsonl");
    std::string lines;
    for (const auto& issue : report.issues) lines += issue.to_json().dump() + "\n";
    fs::create_directories(dir_.reports());
    write_file_atomic(report_path, lines);
    if (report.entries.empty() && report.records > 0)
        throw rekognition::invalid_parameter("none of the " + std::to_string(report.records) + " records of " + origin +
                                             " is usable: " + rejected_summary(report.issues, report.rejected()));
    catalog_.import(project, report, type, report_path.string());
    if (const auto rejected = data::rejected_lines(manifest_text, report.issues); !rejected.empty())
        catalog_.set_rejected(catalog_.dataset(project, type), rejected);
}

Json RekognitionApi::create_dataset(const Json& request) {
    const Members req(request);
    const std::string type = dataset_type(req);
    const std::string& project_arn = req.required_string("ProjectArn");
    const auto source = req.optional_object("DatasetSource");
    const auto manifest = source ? source->optional_object("GroundTruthManifest") : std::nullopt;
    std::optional<std::pair<std::string, std::string>> manifest_object;  // bucket, key
    if (manifest) {
        const Members s3 = manifest->required_object("S3Object");
        manifest_object.emplace(s3.required_string("Bucket"), s3.required_string("Name"));
    }
    const auto from_arn = source ? source->optional_string("DatasetArn") : std::nullopt;
    const auto tags = tags_member(req, "Tags");
    if (tags.size() > 50) throw rekognition::limit_exceeded("Tags: a resource has at most 50 tags");
    if (manifest && from_arn)
        throw rekognition::invalid_parameter("DatasetSource takes either GroundTruthManifest or DatasetArn, not both");
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(project_arn);
    if (catalog_.find_dataset(project, type))
        throw ApiError(400, "ResourceAlreadyExistsException", "project " + project.name + " already has a " + type + " dataset");
    try {
        if (manifest_object) {
            const auto& [bucket, key] = *manifest_object;
            const std::string text = object_bytes(bucket, key, "DatasetSource.GroundTruthManifest.S3Object");
            import_lines(project, type, text, "s3://" + bucket + "/" + key);
        } else if (from_arn) {
            const auto from = dataset_of(*from_arn);
            data::ImportReport copy;
            copy.task = from.task;
            copy.entries = catalog_.entries(from);
            copy.records = copy.entries.size();
            // A copy: the source keeps its entries, also when it is this project's other dataset.
            catalog_.import(project, copy, type, "", /*move=*/false);
        } else {
            catalog_.import(project, data::ImportReport{}, type, "");  // an empty dataset, filled by UpdateDatasetEntries
        }
    } catch (const Conflict& e) {
        // Labels of the other task (classification into a detection project): a bad source, and
        // CreateDataset documents no ResourceInUseException.
        throw rekognition::invalid_parameter(std::string("DatasetSource: ") + e.what());
    }
    const std::string arn = catalog_.dataset(project, type).arn;
    if (!tags.empty()) catalog_.set_tags(arn, tags);
    return {{"DatasetArn", arn}};
}

Json RekognitionApi::describe_dataset(const Json& request) {
    const std::string& arn = Members(request).required_string("DatasetArn");
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(arn);
    const auto entries = catalog_.entries(d);
    const size_t labeled = std::count_if(entries.begin(), entries.end(), [](const data::Entry& e) {
        return !e.all_labels().empty();
    });
    return {{"DatasetDescription",
             {{"CreationTimestamp", epoch_seconds(d.created_ms)},
              {"LastUpdatedTimestamp", epoch_seconds(d.updated_ms)},
              {"Status", d.status},
              // The report's path is the server's business; the problems themselves are the client's.
              {"StatusMessage", d.last_import_errors && d.status_code == "SUCCESS"
                                    ? std::to_string(d.last_import_errors) + " records of the last " +
                                          (d.status.starts_with("CREATE") ? "import" : "update") + " were left out: " +
                                          rejected_summary(read_report(d.last_import_report),
                                                           static_cast<size_t>(d.last_import_errors))
                                    : d.status_message},
              {"StatusMessageCode", d.last_import_errors ? "CLIENT_ERROR" : d.status_code},
              {"DatasetStats",
               {{"LabeledEntries", labeled},
                {"TotalEntries", entries.size()},
                {"TotalLabels", catalog_.labels(d).size()},
                {"ErrorEntries", d.last_import_errors}}}}}};
}

Json RekognitionApi::list_dataset_entries(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("DatasetArn");
    const auto wanted = req.string_list("ContainsLabels");
    const auto labeled_only = req.optional_bool("Labeled");  // absent: both
    const std::string contains = req.optional_string("SourceRefContains").value_or("");
    // Lines rejected at import are kept apart with their errors: listed with HasErrors true only.
    const bool has_errors = req.optional_bool("HasErrors").value_or(false);
    const PageRequest paging = page_request(req, 100, 100);
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(arn);
    if (has_errors) {
        std::vector<std::string> lines;
        for (auto& line : catalog_.rejected(d))
            if (contains.empty() || Json::parse(line).value("source-ref", "").find(contains) != std::string::npos)
                lines.push_back(std::move(line));
        const Page page = page_of(paging, lines.size());
        Json out = {{"DatasetEntries", Json::array()}};
        for (size_t i = page.begin; i < page.end; ++i) out["DatasetEntries"].push_back(lines[i]);
        if (page.next_token) out["NextToken"] = *page.next_token;
        return out;
    }
    std::vector<data::Entry> matching;
    for (auto& e : catalog_.entries(d)) {
        const auto labels = e.all_labels();
        if (labeled_only && *labeled_only == labels.empty()) continue;
        if (!contains.empty() && e.source_ref.find(contains) == std::string::npos) continue;
        if (!wanted.empty() && std::none_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
                return std::find(labels.begin(), labels.end(), w) != labels.end();
            }))
            continue;
        matching.push_back(std::move(e));
    }
    const Page page = page_of(paging, matching.size());
    Json lines = Json::array();  // only the page's lines are written: datasets run to 10,000s
    for (size_t i = page.begin; i < page.end; ++i) {
        lines.push_back(data::to_manifest_line(matching[i], d.task));  // the reference the user gave
    }
    Json out = {{"DatasetEntries", std::move(lines)}};
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::list_dataset_labels(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("DatasetArn");
    const PageRequest paging = page_request(req, 100, 100);
    std::lock_guard lock(catalog_mutex_);
    const auto labels = catalog_.labels(dataset_of(arn));
    const Page page = page_of(paging, labels.size());
    Json out = {{"DatasetLabelDescriptions", Json::array()}};
    for (size_t i = page.begin; i < page.end; ++i)
        out["DatasetLabelDescriptions"].push_back(
            {{"LabelName", labels[i].label},
             {"LabelStats", {{"EntryCount", labels[i].images}, {"BoundingBoxCount", labels[i].boxes}}}});
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::update_dataset_entries(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("DatasetArn");
    const std::string& encoded = req.required_object("Changes").required_string("GroundTruth");
    const auto text = base64_decode(encoded);
    if (!text) throw rekognition::invalid_parameter("Changes.GroundTruth is not valid base64");
    if (text->size() > 5 * 1024 * 1024) throw rekognition::limit_exceeded("Changes.GroundTruth exceeds 5 MB");
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(arn);
    updating(d, [&] { import_lines(catalog_.project(d.project), d.type, *text, kChangesOrigin); });
    return Json::object();
}

void RekognitionApi::updating(const store::DatasetInfo& dataset, const std::function<void()>& update) {
    // Synchronous, so a client sees UPDATE_COMPLETE or UPDATE_FAILED as soon as the call returns.
    try {
        update();
    } catch (const std::exception& e) {
        catalog_.set_dataset_status(dataset, "UPDATE_FAILED", e.what(), "CLIENT_ERROR");
        throw;
    }
    catalog_.set_dataset_status(dataset, "UPDATE_COMPLETE", "The dataset was successfully updated.", "SUCCESS");
}

std::string RekognitionApi::entry_version(const data::Entry& entry) {
    return sha256_hex(store::annotations_to_json(entry)).substr(0, 32);
}

std::string RekognitionApi::update_entry(const std::string& dataset_arn, const std::string& line,
                                         const std::string& expected_version) {
    std::string ref;
    try {
        ref = parse_json_limited(line).at("source-ref").get<std::string>();
    } catch (const std::exception&) {
        throw rekognition::invalid_parameter("the entry must be one manifest line with a string source-ref");
    }
    if (line.find('\n') != std::string::npos) throw rekognition::invalid_parameter("the entry must be one manifest line");
    std::lock_guard lock(catalog_mutex_);
    const auto d = dataset_of(dataset_arn);
    const auto before = catalog_.entry(d, ref);
    if ((before ? entry_version(*before) : "") != expected_version)
        throw ApiError(409, "ConflictException",
                       "This image's labels were changed by someone else after you opened it. Reload the image "
                       "to see their change, then apply yours again.");
    try {
        updating(d, [&] { import_lines(catalog_.project(d.project), d.type, line, kChangesOrigin); });
    } catch (const Conflict& e) {
        // A line of the other task (a classification label in a detection project): a bad
        // request, not an edit conflict, which 409 means here.
        throw rekognition::invalid_parameter(e.what());
    }
    const auto after = catalog_.entry(d, ref);
    if (!after) throw rekognition::invalid_parameter("the entry was not saved: its line was refused at import");
    return entry_version(*after);
}

Json RekognitionApi::distribute_dataset_entries(const Json& request) {
    const Members req(request);
    if (!req.has("Datasets")) throw rekognition::invalid_parameter("Datasets is required");
    std::vector<std::string> arns;
    for (const auto& d : req.object_list("Datasets")) arns.push_back(d.required_string("Arn"));
    if (arns.size() != 2) throw rekognition::invalid_parameter("Datasets must name the project's TRAIN and TEST datasets");
    std::lock_guard lock(catalog_mutex_);
    std::optional<store::DatasetInfo> train, test;
    for (const auto& arn : arns) {
        const auto info = dataset_of(arn);
        (info.type == "train" ? train : test) = info;
    }
    if (!train || !test || train->project != test->project)
        throw rekognition::invalid_parameter("Datasets must be one TRAIN and one TEST dataset of the same project");
    // InvalidParameterException: DistributeDatasetEntries documents no ResourceInUseException.
    if (test->entries > 0) throw rekognition::invalid_parameter("the TEST dataset must be empty to distribute entries into it");
    // The reference service moves 20% of the training entries into the test dataset.
    auto all = catalog_.entries(*train);
    data::stratified_split(all, 20, 1);
    catalog_.redistribute(catalog_.project(train->project), all);
    return Json::object();
}

Json RekognitionApi::delete_dataset(const Json& request) {
    const std::string& arn = Members(request).required_string("DatasetArn");
    std::lock_guard lock(catalog_mutex_);
    catalog_.delete_dataset(dataset_of(arn));
    return Json::object();
}

}  // namespace apiary::service
