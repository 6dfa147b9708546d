#include "service/rekognition_api.h"

#include <algorithm>
#include <iostream>

#include "core/arn.h"
#include "core/text.h"
#include "service/api_error.h"
#include "service/request_fields.h"

namespace apiary::service {

RekognitionApi::RekognitionApi(const store::DataDir& dir, store::ObjectStore& objects,
                               const RekognitionSettings& settings)
    : dir_(dir),
      objects_(objects),
      settings_(settings),
      catalog_(dir),
      runtime_(settings.inference_threads,
               [this](const std::string& arn, RunState state, const std::string& message) {
                   on_model_state(arn, state, message);
               }),
      jobs_(dir, settings.training, [this](const TrainingJob& job) { publish_evaluation(job); }) {}

RekognitionApi::~RekognitionApi() = default;

const std::map<std::string, RekognitionApi::Handler>& RekognitionApi::handlers() {
    static const std::map<std::string, Handler> all = {
        {"CreateProject", &RekognitionApi::create_project},
        {"DescribeProjects", &RekognitionApi::describe_projects},
        {"DeleteProject", &RekognitionApi::delete_project},
        {"CreateDataset", &RekognitionApi::create_dataset},
        {"DescribeDataset", &RekognitionApi::describe_dataset},
        {"ListDatasetEntries", &RekognitionApi::list_dataset_entries},
        {"ListDatasetLabels", &RekognitionApi::list_dataset_labels},
        {"UpdateDatasetEntries", &RekognitionApi::update_dataset_entries},
        {"DistributeDatasetEntries", &RekognitionApi::distribute_dataset_entries},
        {"DeleteDataset", &RekognitionApi::delete_dataset},
        {"CreateProjectVersion", &RekognitionApi::create_project_version},
        {"DescribeProjectVersions", &RekognitionApi::describe_project_versions},
        {"StartProjectVersion", &RekognitionApi::start_project_version},
        {"StopProjectVersion", &RekognitionApi::stop_project_version},
        {"DeleteProjectVersion", &RekognitionApi::delete_project_version},
        {"DetectCustomLabels", &RekognitionApi::detect_custom_labels},
        {"TagResource", &RekognitionApi::tag_resource},
        {"UntagResource", &RekognitionApi::untag_resource},
        {"ListTagsForResource", &RekognitionApi::list_tags_for_resource},
        {"CopyProjectVersion", &RekognitionApi::copy_project_version},
        {"PutProjectPolicy", &RekognitionApi::put_project_policy},
        {"ListProjectPolicies", &RekognitionApi::list_project_policies},
        {"DeleteProjectPolicy", &RekognitionApi::delete_project_policy},
    };
    return all;
}

bool RekognitionApi::knows(const std::string& operation) const { return handlers().contains(operation); }

Json RekognitionApi::handle(const std::string& operation, const Json& request) {
    const auto it = handlers().find(operation);
    if (it == handlers().end())
        throw ApiError(400, "UnknownOperationException", "RekognitionService." + operation + " is not supported");
    if (!request.is_object()) throw rekognition::invalid_parameter("the request body must be a JSON object");
    try {
        return (this->*(it->second))(request);
    } catch (const ApiError&) {
        throw;
    } catch (const std::exception& e) {
        switch (error_kind(e)) {
            case ErrorKind::not_found: throw rekognition::not_found(e.what());
            case ErrorKind::conflict: throw rekognition::in_use(e.what());
            case ErrorKind::input: throw rekognition::invalid_parameter(e.what());
            case ErrorKind::io:
            case ErrorKind::internal: break;
        }
        // The server's fault: the details (paths of the data directory, SQLite's words) are for
        // the operator's log, not for the client.
        std::clog << "RekognitionService." << operation << " failed: " << e.what() << "\n";
        throw ApiError(500, "InternalServerError",
                       "RekognitionService." + operation + " failed on the server; its log has the details");
    }
}

void RekognitionApi::recover() {
    std::vector<store::VersionInfo> to_start;
    {
        std::lock_guard lock(catalog_mutex_);
        for (const auto& project : catalog_.list_projects())
            for (auto& v : catalog_.versions(project)) {
                using store::VersionStatus;
                if (v.status == VersionStatus::Running || v.status == VersionStatus::Starting) to_start.push_back(v);
                if (v.status == VersionStatus::Stopping)
                    catalog_.update_version(v, VersionStatus::Stopped, "The model is stopped.", v.metrics);
            }
    }
    for (const auto& v : to_start) runtime_.start(v.arn, v.dir, stored_units(v));
    jobs_.resume_interrupted();
}

void RekognitionApi::wait_idle() {
    jobs_.wait_idle();
    runtime_.wait_idle();
}

// ---------------------------------------------------------------------------------------------
// Resolving ARNs

namespace {
// An ARN as error messages quote it: a client may send kilobytes, the message needs a glimpse.
std::string quoted(const std::string& arn) {
    constexpr size_t kShown = 120;
    std::string out = "'";
    out.append(arn, 0, kShown);
    if (arn.size() <= kShown) return out + "'";
    return out + "...' (" + std::to_string(arn.size()) + " bytes)";
}
}  // namespace

store::ProjectInfo RekognitionApi::project_of(const std::string& arn) {
    const auto parsed = parse_arn(arn);
    if (!parsed || parsed->kind != "project") throw rekognition::invalid_parameter(quoted(arn) + " is not a project ARN");
    auto project = catalog_.project(parsed->project);
    if (project.arn != arn) throw rekognition::not_found("no project with ARN " + arn);
    return project;
}

store::ProjectInfo RekognitionApi::project(const std::string& arn) {
    std::lock_guard lock(catalog_mutex_);
    return project_of(arn);
}

store::DatasetInfo RekognitionApi::dataset(const std::string& arn) {
    std::lock_guard lock(catalog_mutex_);
    return dataset_of(arn);
}

store::VersionInfo RekognitionApi::version(const std::string& arn) {
    std::lock_guard lock(catalog_mutex_);
    return version_of(arn);
}

store::DatasetInfo RekognitionApi::dataset_of(const std::string& arn) {
    const auto parsed = parse_arn(arn);
    if (!parsed || parsed->kind != "dataset") throw rekognition::invalid_parameter(quoted(arn) + " is not a dataset ARN");
    const auto project = catalog_.project(parsed->project);
    auto dataset = catalog_.find_dataset(project, parsed->name);
    if (!dataset || dataset->arn != arn) throw rekognition::not_found("no dataset with ARN " + arn);
    return *dataset;
}

store::VersionInfo RekognitionApi::version_of(const std::string& arn) {
    const auto parsed = parse_arn(arn);
    if (!parsed || parsed->kind != "version")
        throw rekognition::invalid_parameter(quoted(arn) + " is not a project version ARN");
    auto version = catalog_.version(catalog_.project(parsed->project), parsed->name);
    if (version.arn != arn) throw rekognition::not_found("no project version with ARN " + arn);
    return version;
}

// ---------------------------------------------------------------------------------------------
// Projects

Json RekognitionApi::create_project(const Json& request) {
    const Members req(request);
    const std::string& name = req.required_string("ProjectName");
    // Feature and AutoUpdate are kept and reported; Apiary trains custom labels only, so a
    // content-moderation adapter is refused rather than accepted and trained as something else.
    const std::string feature = req.optional_string("Feature").value_or("CUSTOM_LABELS");
    if (feature != "CUSTOM_LABELS")
        throw rekognition::invalid_parameter("Feature: '" + feature.substr(0, 64) +
                                             "' is not supported; this server trains CUSTOM_LABELS projects only");
    const std::string auto_update = req.optional_string("AutoUpdate").value_or("");
    if (!auto_update.empty() && auto_update != "ENABLED" && auto_update != "DISABLED")
        throw rekognition::invalid_parameter("AutoUpdate must be ENABLED or DISABLED");
    const auto tags = tags_member(req, "Tags");
    if (tags.size() > 50) throw rekognition::limit_exceeded("Tags: a resource has at most 50 tags");
    std::lock_guard lock(catalog_mutex_);
    try {
        const auto project = catalog_.create_project(name, feature, auto_update);
        if (!tags.empty()) catalog_.set_tags(project.arn, tags);
        return {{"ProjectArn", project.arn}};
    } catch (const Conflict& e) {
        throw ApiError(400, "ResourceInUseException", e.what());
    }
}

Json RekognitionApi::describe_projects(const Json& request) {
    const Members req(request);
    const auto names = req.string_list("ProjectNames");
    const auto features = req.string_list("Features");  // absent: every project
    for (const auto& f : features)
        if (f != "CUSTOM_LABELS" && f != "CONTENT_MODERATION")
            throw rekognition::invalid_parameter("Features: each must be CUSTOM_LABELS or CONTENT_MODERATION");
    const PageRequest paging = page_request(req, 100, 100);
    std::lock_guard lock(catalog_mutex_);
    std::vector<store::ProjectInfo> projects;
    for (auto& p : catalog_.list_projects())
        if ((names.empty() || std::find(names.begin(), names.end(), p.name) != names.end()) &&
            (features.empty() || std::find(features.begin(), features.end(), p.feature) != features.end()))
            projects.push_back(p);
    const Page page = page_of(paging, projects.size());
    Json out = {{"ProjectDescriptions", Json::array()}};
    for (size_t i = page.begin; i < page.end; ++i) {
        const auto& p = projects[i];
        Json datasets = Json::array();
        for (const auto& d : catalog_.datasets(p)) {
            const std::string type = ascii_uppercase(d.type);
            datasets.push_back({{"CreationTimestamp", epoch_seconds(d.created_ms)},
                                {"DatasetType", type},
                                {"DatasetArn", d.arn},
                                {"Status", d.status},
                                {"StatusMessage", d.status_message},
                                {"StatusMessageCode", d.status_code}});
        }
        Json d = {{"ProjectArn", p.arn},
                  {"CreationTimestamp", epoch_seconds(p.created_ms)},
                  {"Status", "CREATED"},
                  {"Datasets", datasets},
                  {"Feature", p.feature}};
        if (!p.auto_update.empty()) d["AutoUpdate"] = p.auto_update;
        out["ProjectDescriptions"].push_back(std::move(d));
    }
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::delete_project(const Json& request) {
    const std::string& arn = Members(request).required_string("ProjectArn");
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(arn);
    if (!catalog_.versions(project).empty())
        throw rekognition::in_use("project " + project.name + " still has model versions; delete them first");
    catalog_.delete_project(project.arn);
    return {{"Status", "DELETING"}};
}

// ---------------------------------------------------------------------------------------------
// Tags: on projects, datasets and model versions

void RekognitionApi::require_taggable(const std::string& arn) {
    const auto parsed = parse_arn(arn);
    if (!parsed) throw rekognition::invalid_parameter(quoted(arn) + " is not a Rekognition ARN");
    if (parsed->kind == "project") project_of(arn);
    else if (parsed->kind == "dataset") dataset_of(arn);
    else version_of(arn);
}

Json RekognitionApi::tag_resource(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ResourceArn");
    if (!req.has("Tags")) throw rekognition::invalid_parameter("Tags is required");
    const auto tags = tags_member(req, "Tags");
    std::lock_guard lock(catalog_mutex_);
    require_taggable(arn);
    size_t after = catalog_.tags(arn).size();
    for (const auto& [key, value] : tags) after += catalog_.tags(arn).contains(key) ? 0 : 1;
    if (after > 50) throw rekognition::service_quota_exceeded("Tags: a resource has at most 50 tags");
    catalog_.set_tags(arn, tags);
    return Json::object();
}

Json RekognitionApi::untag_resource(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ResourceArn");
    const auto keys = req.string_list("TagKeys");
    std::lock_guard lock(catalog_mutex_);
    require_taggable(arn);
    catalog_.remove_tags(arn, keys);
    return Json::object();
}

Json RekognitionApi::list_tags_for_resource(const Json& request) {
    const std::string& arn = Members(request).required_string("ResourceArn");
    std::lock_guard lock(catalog_mutex_);
    require_taggable(arn);
    Json tags = Json::object();
    for (const auto& [k, v] : catalog_.tags(arn)) tags[k] = v;
    return {{"Tags", tags}};
}

}  // namespace apiary::service
