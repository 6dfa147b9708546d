// The console's review loop: pipeline results in their pipeline's review band, listed for a
// person, who accepts them (with the boxes corrected: the image joins the model's training
// dataset through UpdateDatasetEntries) or rejects them; who did what is kept.
#include "core/arn.h"
#include "core/base64.h"
#include "core/json_parse.h"
#include "service/api_error.h"
#include "service/console_endpoints.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"
#include "store/catalog.h"

namespace apiary::service {

namespace {

int64_t review_id(const std::string& text) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        throw ApiError(404, "NotFound", "no review " + text);
    return std::stoll(text);
}

}  // namespace

Json ConsoleEndpoints::reviews(const HttpRequest& req, std::string_view route, const Json& body, const std::string& who) {
    if (route == "reviews") {
        if (req.method != "GET") throw ApiError(405, "MethodNotAllowed", "GET /console/api/reviews");
        const std::string state = req.has_param("state") ? req.param("state") : "pending";
        const std::string pipeline = req.param("pipeline");
        Json list = Json::array();
        for (const auto& r : reviews_.list(state == "all" ? "" : state, pipeline)) list.push_back(r.to_json());
        const auto c = reviews_.counts(pipeline);
        return {{"reviews", list}, {"counts", {{"pending", c.pending}, {"accepted", c.accepted}, {"rejected", c.rejected}}}};
    }
    // reviews/<id>/accept|reject
    const std::string rest(route.substr(std::string_view("reviews/").size()));
    const auto slash = rest.find('/');
    const int64_t id = review_id(rest.substr(0, slash));
    const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (action.empty() && req.method == "GET") return reviews_.get(id).to_json();
    if (req.method != "POST" || (action != "accept" && action != "reject"))
        throw ApiError(404, "NotFound", "POST /console/api/reviews/ID/accept or /reject");
    const auto review = reviews_.get(id);
    if (review.state != "pending")
        throw ApiError(409, "Conflict", "review " + std::to_string(id) + " was " + review.state + " already by " + review.reviewer);
    if (action == "accept") {
        // The reviewer's labels, as one manifest line naming this very object.
        const std::string& line = required_string(body, "line");
        const std::string ref = "s3://" + review.bucket + "/" + review.key;
        try {
            if (parse_json_limited(line).at("source-ref") != ref) throw std::runtime_error("other ref");
        } catch (const std::exception&) {
            throw ApiError(400, "BadRequest", "the line must be one manifest line whose source-ref is " + ref);
        }
        const auto model = parse_arn(review.model);
        if (!model) throw ApiError(409, "Conflict", "the review's model " + review.model + " is not a version ARN");
        const auto project = rekognition_.with_catalog([&](store::Catalog& c) { return c.project(model->project); });
        auto train = rekognition_.with_catalog([&](store::Catalog& c) { return c.find_dataset(project, "train"); });
        if (!train) rekognition_.handle("CreateDataset", {{"ProjectArn", project.arn}, {"DatasetType", "TRAIN"}});
        train = rekognition_.with_catalog([&](store::Catalog& c) { return c.find_dataset(project, "train"); });
        rekognition_.handle("UpdateDatasetEntries",
                            {{"DatasetArn", train->arn}, {"Changes", {{"GroundTruth", base64_encode(line + "\n")}}}});
    }
    return {{"review", reviews_.decide(id, action == "accept", who.empty() ? "anonymous" : who).to_json()}};
}

}  // namespace apiary::service
