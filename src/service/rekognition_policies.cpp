// RekognitionApi: project policies (PutProjectPolicy, ListProjectPolicies, DeleteProjectPolicy).
// The reference service uses them to let other accounts copy a project's versions; this server
// has one account, so they are stored, validated and listed for the programs that manage them,
// and CopyProjectVersion does not consult them.
#include <regex>

#include "core/json_parse.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"

namespace apiary::service {

namespace {

constexpr size_t kMaxPolicies = 5;  // per project, as the reference service's quota

std::string policy_name(const Members& req) {
    const std::string& name = req.required_string("PolicyName");
    static const std::regex pattern("[a-zA-Z0-9_.\\-]{1,128}");
    if (!std::regex_match(name, pattern))
        throw rekognition::invalid_parameter("PolicyName must be 1-128 letters, digits, '_', '.' or '-'");
    return name;
}

std::optional<std::string> revision_id(const Members& req) {
    auto id = req.optional_string("PolicyRevisionId");
    static const std::regex pattern("[0-9A-Fa-f]{1,64}");
    if (id && !std::regex_match(*id, pattern))
        throw rekognition::invalid_parameter("PolicyRevisionId must be up to 64 hexadecimal digits");
    return id;
}

ApiError malformed(const std::string& why) { return {400, "MalformedPolicyDocumentException", "PolicyDocument: " + why}; }
ApiError bad_revision(const std::string& why) { return {400, "InvalidPolicyRevisionIdException", why}; }

// An IAM-shaped policy: a JSON object with a Statement (an object or a non-empty list of them),
// each with Effect Allow or Deny. Checked so a typo is refused when written, not found later.
void check_document(const std::string& text) {
    if (text.empty() || text.size() > 2000) throw malformed("must be 1-2000 characters");
    Json doc;
    try {
        doc = parse_json_limited(text);
    } catch (const std::exception& e) {
        throw malformed(std::string("not JSON: ") + e.what());
    }
    if (!doc.is_object()) throw malformed("must be a JSON object");
    const auto st = doc.find("Statement");
    if (st == doc.end()) throw malformed("has no Statement");
    const Json statements = st->is_array() ? *st : Json::array({*st});
    if (statements.empty()) throw malformed("Statement is empty");
    for (size_t i = 0; i < statements.size(); ++i) {
        const Json& s = statements[i];
        const std::string where = "Statement[" + std::to_string(i) + "]";
        if (!s.is_object()) throw malformed(where + " must be an object");
        const auto effect = s.find("Effect");
        if (effect == s.end() || !effect->is_string() || (*effect != "Allow" && *effect != "Deny"))
            throw malformed(where + ".Effect must be Allow or Deny");
        if (!s.contains("Action") && !s.contains("NotAction")) throw malformed(where + " has no Action");
    }
}

}  // namespace

Json RekognitionApi::put_project_policy(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectArn");
    const std::string name = policy_name(req);
    const auto revision = revision_id(req);
    const std::string& document = req.required_string("PolicyDocument");
    check_document(document);
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(arn);
    const auto existing = catalog_.policy(project, name);
    // As the reference service: a new policy is written without a revision id, an existing one
    // only with the revision it was last written under.
    if (existing && !revision)
        throw rekognition::already_exists("project " + project.name + " already has a policy named " + name +
                                          "; give its PolicyRevisionId to replace it");
    if (!existing && revision) throw bad_revision("project " + project.name + " has no policy named " + name);
    if (existing && *revision != existing->revision_id)
        throw bad_revision("PolicyRevisionId " + *revision + " is not the current revision of policy " + name);
    if (!existing && catalog_.policies(project).size() >= kMaxPolicies)
        throw rekognition::limit_exceeded("a project has at most " + std::to_string(kMaxPolicies) + " policies");
    return {{"PolicyRevisionId", catalog_.put_policy(project, name, document).revision_id}};
}

Json RekognitionApi::list_project_policies(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectArn");
    const PageRequest paging = page_request(req, 5, 5);
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(arn);
    const auto all = catalog_.policies(project);
    const Page page = page_of(paging, all.size());
    Json out = {{"ProjectPolicies", Json::array()}};
    for (size_t i = page.begin; i < page.end; ++i)
        out["ProjectPolicies"].push_back({{"ProjectArn", project.arn},
                                          {"PolicyName", all[i].name},
                                          {"PolicyRevisionId", all[i].revision_id},
                                          {"PolicyDocument", all[i].document},
                                          {"CreationTimestamp", epoch_seconds(all[i].created_ms)},
                                          {"LastUpdatedTimestamp", epoch_seconds(all[i].updated_ms)}});
    if (page.next_token) out["NextToken"] = *page.next_token;
    return out;
}

Json RekognitionApi::delete_project_policy(const Json& request) {
    const Members req(request);
    const std::string& arn = req.required_string("ProjectArn");
    const std::string name = policy_name(req);
    const auto revision = revision_id(req);
    std::lock_guard lock(catalog_mutex_);
    const auto project = project_of(arn);
    const auto existing = catalog_.policy(project, name);
    if (!existing) throw rekognition::not_found("project " + project.name + " has no policy named " + name);
    if (revision && *revision != existing->revision_id)
        throw bad_revision("PolicyRevisionId " + *revision + " is not the current revision of policy " + name);
    catalog_.delete_policy(project, name);
    return Json::object();
}

}  // namespace apiary::service
