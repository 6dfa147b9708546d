#include "service/console_endpoints.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/json_parse.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "service/request_fields.h"
#include "store/catalog.h"
#include "store/resplit.h"
#include "train/project_training.h"
#include "vision/thumbnail.h"

namespace apiary::service {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxReportIssues = 1000;

ApiError bad_request(const std::string& message) { return ApiError(400, "BadRequest", message); }
ApiError not_found(const std::string& message) { return ApiError(404, "NotFound", message); }

std::string required_param(const HttpRequest& req, const char* name) {
    const std::string value = req.param(name);
    if (value.empty()) throw bad_request(std::string("the query parameter '") + name + "' is required");
    return value;
}

void write_json(HttpResponse& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
    res.set_header("Cache-Control", "no-store");
}

TrainingJob job_of(const store::VersionInfo& v) { return {v.project, v.name}; }

}  // namespace

ConsoleEndpoints::ConsoleEndpoints(const store::DataDir& dir, RekognitionApi& rekognition, ConsoleSettings settings)
    : dir_(dir), rekognition_(rekognition), settings_(settings), pipeline_store_(dir), queue_(dir), reviews_(dir) {}

void ConsoleEndpoints::handle(const HttpRequest& req, std::string_view route, const std::string& body,
                              HttpResponse& res, const std::string& who) {
    try {
        Json parsed = Json::object();
        if (!body.empty()) {
            try {
                parsed = parse_json_limited(body);
            } catch (const JsonSyntaxError& e) {
                throw bad_request(std::string("the request body is not valid JSON: ") + e.what());
            }
        }
        const Json answer = dispatch(req, route, parsed, res, who);
        if (!answer.is_null()) write_json(res, 200, answer);
    } catch (const ApiError& e) {
        write_json(res, e.status(), {{"message", e.what()}});
    } catch (const std::exception& e) {
        switch (error_kind(e)) {
            case ErrorKind::input: write_json(res, 400, {{"message", e.what()}}); break;
            case ErrorKind::not_found: write_json(res, 404, {{"message", e.what()}}); break;
            case ErrorKind::conflict: write_json(res, 409, {{"message", e.what()}}); break;
            default: {
                // The operator's log gets the detail, which may name files of this machine.
                const std::string reference = std::to_string(now_ms());
                std::clog << "apiary serve: console internal error " << reference << ": " << e.what() << std::endl;
                write_json(res, 500, {{"message", "internal error (reference " + reference + ")"}});
            }
        }
    }
}

Json ConsoleEndpoints::dispatch(const HttpRequest& req, std::string_view route, const Json& body, HttpResponse& res,
                                const std::string& who) {
    const bool get = req.method == "GET" || req.method == "HEAD";
    if (route == "thumbnail" && get) return thumbnail(req, res), Json();
    if (route == "import-report" && get) return import_report(req);
    if (route == "split" && req.method == "POST") return split(body);
    if (route == "training" && get) return training();
    if (route == "training/cancel" && req.method == "POST") return cancel_training(body);
    if (route == "evaluation" && get) return evaluation(req);
    if (route == "models/running" && get) return running_models();
    if (route == "pipelines" || route.starts_with("pipelines/")) return pipelines(req, route, body);
    if (route == "entry" && get) return entry(req);
    if (route == "entry" && req.method == "POST") return save_entry(body);
    if (route == "entries/pictures" && req.method == "POST") return entry_pictures(body);
    if ((route == "labels/rename" || route == "labels/delete") && req.method == "POST")
        return relabel(route.substr(7), body);
    if (route == "detect-entry" && req.method == "POST") return detect_entry(body);
    if (route == "evaluation/at" && get) return evaluation_at(req);
    if (route == "evaluation/images" && get) return evaluation_images(req);
    if (route == "reviews" || route.starts_with("reviews/")) return reviews(req, route, body, who);
    throw not_found("no console endpoint " + req.method + " /console/api/" + std::string(route));
}

void ConsoleEndpoints::thumbnail(const HttpRequest& req, HttpResponse& res) {
    const auto dataset = rekognition_.dataset(required_param(req, "dataset"));
    const std::string ref = required_param(req, "ref");
    int size = 256;
    if (req.has_param("size")) {
        const std::string s = req.param("size");
        if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(s) < 64 || std::stoi(s) > 1024)
            throw bad_request("size must be a number of pixels from 64 to 1024");
        size = std::stoi(s);
    }
    const auto entry = rekognition_.with_catalog([&](store::Catalog& c) { return c.entry(dataset, ref); });
    if (!entry) throw not_found("the dataset holds no image with that source-ref");
    // boxes=1: the ground truth drawn on the stored pixel grid before the picture is turned
    // upright, so boxes stay on their objects whatever the EXIF orientation.
    std::vector<vision::DrawnBox> boxes;
    if (req.param("boxes") == "1")
        for (const auto& o : entry->objects) boxes.push_back({o.label, o.box, 100.0, o.label, std::nullopt});
    // Keyed by the image, the boxes and the size: a relabelled image gets a new thumbnail.
    const std::string key = sha256_hex(entry->sha256 + "\n" + std::to_string(size) + "\n" +
                                       (boxes.empty() ? "" : store::annotations_to_json(*entry)));
    const std::string etag = quoted_etag(key);
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "private, no-cache");
    if (req.header("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    const fs::path cached = dir_.root() / "cache" / "thumbnails" / (key + ".jpg");
    std::error_code ec;
    std::string jpeg;
    if (fs::is_regular_file(cached, ec)) {
        jpeg = read_file(cached);
    } else {
        jpeg = vision::make_thumbnail(entry->image_path, boxes, size);
        create_directories_durably(cached.parent_path());
        write_file_atomic(cached, jpeg);  // a cache: rebuilt if lost, so no fsync needed
    }
    res.set_content(std::move(jpeg), "image/jpeg");
}

Json ConsoleEndpoints::import_report(const HttpRequest& req) {
    const auto dataset = rekognition_.dataset(required_param(req, "dataset"));
    Json out = {{"rejected", 0}, {"issues", Json::array()}};
    if (dataset.last_import_report.empty() || !fs::is_regular_file(dataset.last_import_report)) return out;
    int64_t rejected = 0;
    std::ifstream in(dataset.last_import_report);
    std::string line;
    int64_t total = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        try {
            Json issue = Json::parse(line);
            ++total;
            rejected += !issue.value("kept", false);
            if (out["issues"].size() >= kMaxReportIssues) continue;
            // Only the file's name: a client learns nothing of the server's folders.
            const std::string file = issue.value("file", "");
            out["issues"].push_back({{"file", fs::path(file).filename().string()},
                                     {"line", issue.value("line", 0)},
                                     {"field", issue.value("field", "")},
                                     {"code", issue.value("code", "")},
                                     {"message", issue.value("reason", "")},
                                     {"kept", issue.value("kept", false)}});
        } catch (const std::exception&) {
            // A torn last line of a report being written: skip it.
        }
    }
    out["total"] = total;
    out["rejected"] = rejected;
    return out;
}

Json ConsoleEndpoints::split(const Json& body) {
    const auto project = rekognition_.project(required_string(body, "projectArn"));
    const double percent = body.value("testPercent", 20.0);
    if (!body.value("seed", Json(1)).is_number_unsigned()) throw bad_request("'seed' must be a non-negative integer");
    const uint64_t seed = body.value("seed", uint64_t(1));
    const auto counts = rekognition_.with_catalog(
        [&](store::Catalog& c) { return store::resplit_project(c, project, percent, seed); });
    return Json{{"train", counts.train}, {"test", counts.test}};
}

Json ConsoleEndpoints::training() {
    Json jobs = Json::array();
    for (const auto& p : rekognition_.training_jobs().progress()) {
        const auto version = rekognition_.with_catalog(
            [&](store::Catalog& c) { return c.version(c.project(p.job.project), p.job.version); });
        jobs.push_back({{"projectVersionArn", version.arn},
                        {"project", p.job.project},
                        {"version", p.job.version},
                        {"state", p.running ? "running" : "queued"},
                        {"epoch", p.epoch},
                        {"epochs", p.epochs},
                        {"step", p.step},
                        {"steps", p.steps},
                        {"loss", p.loss},
                        {"valAp50", p.val_ap50},
                        {"valMetric", p.metric},
                        {"elapsedS", p.elapsed_s},
                        {"etaS", p.eta_s}});
    }
    return {{"jobs", jobs}};
}

Json ConsoleEndpoints::cancel_training(const Json& body) {
    const auto version = rekognition_.version(required_string(body, "projectVersionArn"));
    if (!rekognition_.training_jobs().cancel(job_of(version)))
        throw ApiError(409, "Conflict", "model version " + version.name + " is not training or queued");
    return Json::object();
}

Json ConsoleEndpoints::evaluation(const HttpRequest& req) {
    const auto version = rekognition_.version(required_param(req, "projectVersionArn"));
    const fs::path file = fs::path(version.dir) / "evaluation.json";
    if (version.dir.empty() || !fs::is_regular_file(file))
        throw not_found("model version " + version.name + " has no evaluation yet");
    return Json::parse(read_file(file));
}

Json ConsoleEndpoints::running_models() {
    Json models = Json::array();
    for (const auto& m : rekognition_.models().running_idle()) {
        const auto version = rekognition_.version(m.arn);
        models.push_back({{"projectVersionArn", m.arn},
                          {"project", version.project},
                          {"version", version.name},
                          {"idleS", m.idle_ms / 1000}});
    }
    return {{"idleWarningS", settings_.idle_warning_ms / 1000}, {"models", models}};
}

Json ConsoleEndpoints::pipelines(const HttpRequest& req, std::string_view route, const Json& body) {
    const auto spec_json = [this](const pipeline::PipelineSpec& s) {
        const auto st = queue_.stats(s.name);
        const auto rc = reviews_.counts(s.name);
        Json j = {{"name", s.name},       {"bucket", s.bucket},           {"prefix", s.prefix},
                  {"model", s.model},     {"maxResults", s.max_results},  {"workers", s.workers},
                  {"paused", s.paused},   {"minConfidence", s.min_confidence ? Json(*s.min_confidence) : Json()},
                  {"reviewMin", s.review_min ? Json(*s.review_min) : Json()},
                  {"reviewMax", s.review_max ? Json(*s.review_max) : Json()},
                  {"stats", {{"queued", st.queued},
                             {"inFlight", st.in_flight},
                             {"done", st.done},
                             {"failedAttempts", st.failed_attempts},
                             {"deadLettered", st.dead_lettered},
                             {"perSecond", st.done_per_s_last_minute},
                             {"lastError", st.last_error ? Json(*st.last_error) : Json()}}},
                  {"reviews", {{"pending", rc.pending}, {"accepted", rc.accepted}, {"rejected", rc.rejected}}}};
        return j;
    };
    std::lock_guard lock(pipelines_mutex_);
    if (route == "pipelines") {
        if (req.method == "GET") {
            Json list = Json::array();
            for (const auto& s : pipeline_store_.list()) list.push_back(spec_json(s));
            return {{"pipelines", list}};
        }
        if (req.method != "POST") throw ApiError(405, "MethodNotAllowed", "GET or POST /console/api/pipelines");
        pipeline::PipelineSpec spec;
        spec.name = required_string(body, "name");
        spec.bucket = required_string(body, "bucket");
        spec.prefix = body.value("prefix", "");
        // The model must be a version that exists (as `apiary pipeline create --model` checks).
        spec.model = rekognition_.version(required_string(body, "model")).arn;
        if (body.contains("minConfidence") && !body["minConfidence"].is_null()) {
            if (!body["minConfidence"].is_number()) throw bad_request("'minConfidence' must be a number from 0 to 100");
            spec.min_confidence = body["minConfidence"].get<double>();
        }
        for (const auto& [field, target] : {std::pair{"reviewMin", &spec.review_min}, std::pair{"reviewMax", &spec.review_max}})
            if (body.contains(field) && !body[field].is_null()) {
                if (!body[field].is_number()) throw bad_request(std::string("'") + field + "' must be a number from 0 to 100");
                *target = body[field].get<double>();
            }
        return spec_json(pipeline_store_.create(spec));
    }
    // pipelines/<name>[/action]
    const std::string rest(route.substr(std::string_view("pipelines/").size()));
    const auto slash = rest.find('/');
    const std::string name = rest.substr(0, slash), action = slash == std::string::npos ? "" : rest.substr(slash + 1);
    const auto spec = pipeline_store_.get(name);  // NotFound
    if (action.empty() && req.method == "GET") return spec_json(spec);
    if (action.empty() && req.method == "DELETE") return pipeline_store_.remove(name), Json::object();
    if (action == "pause" && req.method == "POST") return pipeline_store_.set_paused(name, true), Json::object();
    if (action == "resume" && req.method == "POST") return pipeline_store_.set_paused(name, false), Json::object();
    if (action == "redrive" && req.method == "POST") return {{"redriven", queue_.redrive(name)}};
    if (action == "dead-letters" && req.method == "GET") {
        Json letters = Json::array();
        for (const auto& d : queue_.dead_letters(name))
            letters.push_back({{"bucket", d.message.bucket},
                               {"key", d.message.key},
                               {"error", d.error},
                               {"attempts", d.message.attempts},
                               {"failedMs", d.failed_ms}});
        return {{"deadLetters", letters}};
    }
    throw not_found("no console endpoint " + req.method + " /console/api/" + std::string(route));
}

}  // namespace apiary::service
