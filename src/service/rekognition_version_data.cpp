// RekognitionApi: the data a model version is trained and tested on. CreateProjectVersion takes
// it from TrainingData/TestingData Assets (Ground Truth manifests in this server's buckets, the
// form older programs use) or from the project's datasets; either way the version keeps its own
// copy, so the automatic 80/20 test split (TestingData.AutoCreate, or no test dataset) never
// moves a user's entries, and later dataset edits change no version. DescribeProjectVersions'
// TrainingDataResult, TestingDataResult and ManifestSummary point at manifests of that copy
// written into the OutputConfig bucket.
#include <algorithm>
#include <set>

#include "data/export.h"
#include "data/label_split.h"
#include "data/split.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"

namespace apiary::service {

namespace {

Json asset(const std::string& bucket, const std::string& key) {
    return {{"GroundTruthManifest", {{"S3Object", {{"Bucket", bucket}, {"Name", key}}}}}};
}

// The lines of a manifest naming each entry by its own source-ref, label attribute and metadata.
std::string manifest_of(const std::vector<data::Entry>& entries, data::TaskType task) {
    std::string out;
    for (const auto& e : entries) out += data::to_manifest_line(e, task) + "\n";
    return out;
}

Json statistics(size_t records, const std::vector<data::Entry>& entries, const std::vector<data::Issue>& issues) {
    size_t labelled = 0, boxes = 0;
    std::set<std::string> labels;
    for (const auto& e : entries) {
        const auto l = e.all_labels();
        labelled += l.empty() ? 0 : 1;
        boxes += e.objects.size();
        labels.insert(l.begin(), l.end());
    }
    Json errors = Json::array();
    for (const auto& i : issues)
        if (!i.kept) errors.push_back(i.to_json());
    const size_t lines = std::max(records, entries.size());
    return {{"total_json_lines", lines},
            {"valid_json_lines", entries.size()},
            {"invalid_json_lines", lines - entries.size()},
            {"total_images", entries.size()},
            {"labeled_images", labelled},
            {"total_labels", labels.size()},
            {"total_bounding_boxes", boxes},
            {"errors", errors}};
}

}  // namespace

RekognitionApi::DataRequest RekognitionApi::data_request(const Members& req) {
    DataRequest r;
    const auto assets = [](const Members& side) {
        std::vector<ManifestRef> refs;
        for (const Members& a : side.object_list("Assets")) {
            const Members s3 = a.required_object("GroundTruthManifest").required_object("S3Object");
            refs.push_back({s3.required_string("Bucket"), s3.required_string("Name"), s3.name("Name")});
        }
        return refs;
    };
    if (const auto training = req.optional_object("TrainingData")) {
        r.training_given = true;
        if (training->has("Assets")) r.training = assets(*training);
    }
    if (const auto testing = req.optional_object("TestingData")) {
        r.testing_given = true;
        r.auto_create = testing->optional_bool("AutoCreate").value_or(false);
        if (testing->has("Assets")) r.testing = assets(*testing);
        if (r.auto_create && r.testing)
            throw rekognition::invalid_parameter("TestingData takes either Assets or AutoCreate, not both");
    }
    if (r.training && r.training->empty())
        throw rekognition::invalid_parameter("TrainingData.Assets must name at least one manifest");
    if (r.testing && r.testing->empty())
        throw rekognition::invalid_parameter("TestingData.Assets must name at least one manifest");
    if (r.training && !r.testing_given)
        throw rekognition::invalid_parameter("TestingData is required when TrainingData is given");
    if (r.training && !r.testing && !r.auto_create)
        throw rekognition::invalid_parameter("TestingData needs Assets or AutoCreate");
    return r;
}

RekognitionApi::VersionData RekognitionApi::version_data(const DataRequest& req, const store::ProjectInfo& project,
                                                         uint64_t seed) {
    VersionData d;
    bool task_known = false;
    // Every manifest of a side in one list; the task is the first manifest's.
    const auto read_assets = [&](const std::vector<ManifestRef>& refs, std::vector<data::Entry>& entries,
                                 size_t& records, std::vector<data::Issue>& issues) {
        Json given = Json::array();
        for (const auto& ref : refs) {
            const std::string uri = "s3://" + ref.bucket + "/" + ref.key;
            // CreateProjectVersion's reference lists no InvalidS3ObjectException: a bad parameter.
            if (!objects_.find_object(ref.bucket, ref.key))
                throw rekognition::invalid_parameter(ref.field + ": no object " + uri);
            auto report = read_manifest(objects_.read_object_bytes(ref.bucket, ref.key), uri, std::nullopt);
            if (report.entries.empty()) throw rekognition::invalid_parameter(ref.field + ": " + uri + " holds no usable entry");
            if (task_known && report.task != d.task)
                throw rekognition::invalid_parameter(ref.field + ": " + uri + " holds " + data::to_string(report.task) +
                                                     " entries, the other manifests " + data::to_string(d.task));
            d.task = report.task, task_known = true;
            records += report.records;
            issues.insert(issues.end(), report.issues.begin(), report.issues.end());
            for (auto& e : report.entries) entries.push_back(std::move(e));
            given.push_back(asset(ref.bucket, ref.key));
        }
        return given;
    };
    if (req.training) {
        // The reference service's rule: manifests given directly, for a project without datasets.
        if (!catalog_.datasets(project).empty())
            throw rekognition::invalid_parameter("TrainingData: project " + project.name +
                                                 " has datasets; give TrainingData only for a project without any");
        d.training_input = {{"Assets", read_assets(*req.training, d.train, d.train_records, d.train_issues)}};
    } else {
        const auto train = catalog_.find_dataset(project, "train");
        if (!train || train->entries == 0)
            throw rekognition::invalid_parameter("project " + project.name + " has no training dataset with entries");
        d.task = train->task;
        d.train = catalog_.entries(*train);
        d.train_records = d.train.size();
        d.training_input = {{"Assets", Json::array()}};
    }
    if (req.testing) {
        d.testing_input = {{"Assets", read_assets(*req.testing, d.test, d.test_records, d.test_issues)}, {"AutoCreate", false}};
    } else if (!req.auto_create) {
        if (const auto test = catalog_.find_dataset(project, "test"); test && test->entries > 0) {
            d.test = catalog_.entries(*test);
            d.test_records = d.test.size();
        }
    }
    d.auto_created = d.test.empty();
    if (d.auto_created) {
        // 80/20 of a copy, stratified as `apiary train` splits; the user's datasets stay as they are.
        auto all = d.train;
        if (d.task == data::TaskType::Classification) data::label_stratified_split(all, 20, seed);
        else data::stratified_split(all, 20, seed);
        d.train.clear();
        for (auto& e : all) (e.split == data::Split::Test ? d.test : d.train).push_back(std::move(e));
        // Too few entries to split (one, say): train on them all with no test images, as
        // `apiary train` does; the evaluation then says it judged none.
        if (d.train.empty()) std::swap(d.train, d.test);
        d.test_records = d.test.size();
    }
    if (d.testing_input.is_null()) d.testing_input = {{"Assets", Json::array()}, {"AutoCreate", d.auto_created}};
    return d;
}

Json RekognitionApi::record_version_data(const store::VersionInfo& v, const VersionData& d, const Json& output) {
    catalog_.set_version_entries(v, "train", d.train);
    catalog_.set_version_entries(v, "test", d.test);
    Json training = {{"Input", d.training_input}};
    Json testing = {{"Input", d.testing_input}};
    Json results = Json::object();
    if (output.is_object()) {
        const std::string bucket = output["S3Bucket"];
        // Named as the evaluation summary is: <prefix><Kind>-<project>-<version><ext>.
        const auto key = [&](const std::string& kind, const std::string& ext) {
            return output.value("S3KeyPrefix", "") + kind + "-" + v.project + "-" + v.name + ext;
        };
        const auto put = [&](const std::string& k, const std::string& body, const char* type) {
            objects_.put_object_bytes(bucket, k, body, type);
            return asset(bucket, k);
        };
        const auto validation = [&](const std::vector<data::Issue>& issues) {
            std::string lines;
            for (const auto& i : issues)
                if (!i.kept) lines += i.to_json().dump() + "\n";
            return lines;
        };
        const Json train_out = put(key("TrainingData", ".manifest"), manifest_of(d.train, d.task), "application/x-ndjson");
        const Json test_out = put(key("TestingData", ".manifest"), manifest_of(d.test, d.task), "application/x-ndjson");
        training["Output"] = {{"Assets", Json::array({train_out})}};
        testing["Output"] = {{"Assets", Json::array({test_out})}, {"AutoCreate", d.auto_created}};
        training["Validation"] = {{"Assets", Json::array({put(key("TrainingValidation", ".jsonl"),
                                                              validation(d.train_issues), "application/x-ndjson")})}};
        testing["Validation"] = {{"Assets", Json::array({put(key("TestingValidation", ".jsonl"),
                                                             validation(d.test_issues), "application/x-ndjson")})}};
        // Where the input was the project's datasets, the copy is what the version was given.
        if (training["Input"]["Assets"].empty()) training["Input"]["Assets"] = training["Output"]["Assets"];
        if (testing["Input"]["Assets"].empty() && !d.auto_created) testing["Input"]["Assets"] = testing["Output"]["Assets"];
        const Json summary = {{"version", 1},
                              {"statistics",
                               {{"training", statistics(d.train_records, d.train, d.train_issues)},
                                {"testing", statistics(d.test_records, d.test, d.test_issues)}}}};
        results["ManifestSummary"] = put(key("ManifestSummary", ".json"), summary.dump(2), "application/json")["GroundTruthManifest"];
    }
    results["TrainingDataResult"] = training;
    results["TestingDataResult"] = testing;
    return results;
}

}  // namespace apiary::service
