#include "service/console_router.h"

#include "core/arn.h"
#include "core/hash.h"
#include "core/json_parse.h"
#include "core/text.h"
#include "service/api_error.h"
#include "service/api_router.h"
#include "service/s3_api.h"
#include "store/credentials.h"

namespace apiary::service {

namespace {

constexpr std::string_view kCookie = "apiary_session";
constexpr std::string_view kApi = "/console/api/";
constexpr std::string_view kS3 = "/console/s3";
constexpr size_t kMaxSignInBody = 8 * 1024;

bool starts(std::string_view path, std::string_view prefix) { return path.starts_with(prefix); }

bool safe_method(const std::string& m) { return m == "GET" || m == "HEAD"; }

void write_message(HttpResponse& res, int status, const std::string& message) {
    res = HttpResponse{};
    res.status = status;
    res.set_content(Json{{"message", message}}.dump(), "application/json");
}

std::string cookie_value(const HttpRequest& req, std::string_view name) {
    for (const auto& [header, value] : req.headers) {
        if (!iequals(header, "Cookie")) continue;
        for (auto part : split(value, ';')) {
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
                return std::string(part.substr(name.size() + 1));
        }
    }
    return "";
}

// A page, not an asset, an API call or an S3 request: answered with the HTML shell.
bool is_page(std::string_view path) {
    return !starts(path, kApi) && !starts(path, "/console/s3/") && path != kS3 && !starts(path, "/console/assets/") &&
           !starts(path, "/console/dev/");
}

Json session_json(const ConsoleSession& s) {
    return {{"accessKeyId", s.access_key_id}, {"csrfToken", s.csrf_token}, {"expiresAt", s.expires_ms}};
}

}  // namespace

HttpRequest console_s3_request(const HttpRequest& request) {
    HttpRequest s3 = request;
    s3.path = request.path.substr(kS3.size());
    s3.raw_path = request.raw_path.substr(std::min(request.raw_path.size(), kS3.size()));
    if (s3.path.empty()) s3.path = "/";
    if (s3.raw_path.empty()) s3.raw_path = "/";
    return s3;
}

ConsoleRouter::ConsoleRouter(const ConsoleOptions& options, ApiRouter& api, store::CredentialStore& credentials,
                             ConsoleEndpoints& endpoints)
    : options_(options), api_(api), credentials_(credentials), endpoints_(endpoints), sessions_(options.sign_in),
      assets_(options.dev_dir) {}

bool ConsoleRouter::is_console(const HttpRequest& head) const {
    if (!options_.enabled) return false;
    if (head.path == "/console" || starts(head.path, "/console/")) return true;
    // A browser opening the server's address; API and S3 clients never ask for HTML.
    return head.method == "GET" && head.path == "/" && head.raw_query.empty() && !head.has_header("Authorization") &&
           head.header("Accept").find("text/html") != std::string::npos;
}

std::optional<ConsoleSession> ConsoleRouter::session_of(const HttpRequest& head) {
    const std::string token = cookie_value(head, kCookie);
    if (token.empty()) return std::nullopt;
    auto session = sessions_.find(token, now_ms());
    // A key deleted since sign-in ends its sessions.
    if (session && options_.auth && !credentials_.secret_for(session->access_key_id)) {
        sessions_.revoke_key(session->access_key_id);
        return std::nullopt;
    }
    return session;
}

std::string ConsoleRouter::refusal_reason(const HttpRequest& head, int& status) {
    status = 403;
    if (head.header("Sec-Fetch-Site") == "cross-site") return "cross-site requests are refused";
    if (safe_method(head.method)) {
        status = 401;
        if (ConsoleAssets::public_asset(head.path) || is_page(head.path)) return "";
        return session_of(head) ? "" : "sign in first";
    }
    // State-changing: same origin only, then a session and its CSRF token.
    const std::string origin = head.header("Origin");
    const std::string own = std::string(head.tls ? "https://" : "http://") + head.header("Host");
    if (!origin.empty() && origin != own) return "requests from another origin are refused";
    if (head.path == "/console/api/session" && head.method == "POST") return "";
    const auto session = session_of(head);
    if (!session) {
        status = 401;
        return "sign in first";
    }
    if (!equal_constant_time(head.header("X-CSRF-Token"), session->csrf_token))
        return "the request lacks the console's CSRF token; reload the page";
    return "";
}

std::optional<BodyPlan> ConsoleRouter::plan(const HttpRequest& head, HttpResponse& refusal) {
    if (!is_console(head)) return api_.plan(head, refusal);
    int status = 0;
    if (const std::string reason = refusal_reason(head, status); !reason.empty()) {
        write_message(refusal, status, reason);
        secure(head, refusal);
        return std::nullopt;
    }
    if (safe_method(head.method) && !starts(head.path, kS3)) return BodyPlan{};
    if (head.path == "/console/api/session") return BodyPlan{BodyPlan::Kind::Memory, int64_t(kMaxSignInBody), {}};
    if (head.path == "/console/api/rekognition")
        return BodyPlan{BodyPlan::Kind::Memory, int64_t(options_.max_operation_body), {}};
    if (starts(head.path, "/console/s3/")) {
        try {
            return api_.s3_body_plan(console_s3_request(head));
        } catch (const ApiError& e) {
            S3Api::write_error(refusal, e.status(), e.code(), e.what(), head.path);
            return std::nullopt;
        }
    }
    return BodyPlan{BodyPlan::Kind::Memory, int64_t(options_.max_endpoint_body), {}};
}

void ConsoleRouter::handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) {
    if (!is_console(request)) return api_.handle(request, body, response);
    route(request, body, response);
    secure(request, response);
}

void ConsoleRouter::route(const HttpRequest& req, ReceivedBody& body, HttpResponse& res) {
    const std::string& path = req.path;
    if (path == "/" || path == "/console") {
        res.status = 302;
        res.set_header("Location", "/console/");
        return;
    }
    if (path == "/console/api/session") {
        if (req.method == "POST") return sign_in(req, body.text, res);
        const auto session = session_of(req);
        if (!session) return write_message(res, 401, "sign in first");
        if (req.method == "DELETE") {
            sessions_.revoke(session->token);
            res.status = 204;
            res.set_header("Set-Cookie", std::string(kCookie) + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict" +
                                             (req.tls ? "; Secure" : ""));
            return;
        }
        res.set_content(session_json(*session).dump(), "application/json");
        return;
    }
    if (path == "/console/api/rekognition") {
        if (req.method != "POST") return write_message(res, 405, "POST the operation, with X-Amz-Target");
        return api_.run_json(req.header("X-Amz-Target"), body.text, res);
    }
    if (starts(path, "/console/s3/")) return api_.run_s3(console_s3_request(req), body, res);
    if (starts(path, kApi)) {
        const auto session = session_of(req);
        return endpoints_.handle(req, std::string_view(path).substr(kApi.size()), body.text, res,
                                 session ? session->access_key_id : "");
    }
    if (assets_.serve(path, req, res)) return;
    if (!is_page(path)) return write_message(res, 404, "no such console file");
    res.set_content(assets_.shell(session_of(req).has_value()), "text/html; charset=utf-8");
    res.set_header("Cache-Control", "no-store");
}

void ConsoleRouter::sign_in(const HttpRequest& req, const std::string& body, HttpResponse& res) {
    const int64_t now = now_ms();
    if (const int64_t wait = sessions_.retry_after_ms(req.remote_address, now); wait > 0) {
        const int64_t seconds = (wait + 999) / 1000;
        write_message(res, 429, "Too many failed sign-ins from this address; try again in " + std::to_string(seconds) + " s.");
        res.set_header("Retry-After", std::to_string(seconds));
        return;
    }
    std::string id, secret;
    try {
        const Json j = parse_json_limited(body);
        id = j.value("accessKeyId", "");
        secret = j.value("secretAccessKey", "");
    } catch (const std::exception&) {
        return write_message(res, 400, "send {\"accessKeyId\": ..., \"secretAccessKey\": ...} as JSON");
    }
    if (id.empty() || secret.empty()) return write_message(res, 400, "enter both the access key ID and the secret access key");
    const auto known = credentials_.secret_for(id);
    const bool ok = !options_.auth || (known && equal_constant_time(*known, secret));
    if (!ok) {
        sessions_.record_failure(req.remote_address, now);
        return write_message(res, 401, "The access key ID or the secret access key is wrong.");
    }
    const ConsoleSession session = sessions_.create(id, now);
    res.set_content(session_json(session).dump(), "application/json");
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + session.token + "; Path=/console; Max-Age=" +
                                     std::to_string(options_.sign_in.session_ttl_ms / 1000) +
                                     "; HttpOnly; SameSite=Strict" + (req.tls ? "; Secure" : ""));
}

void ConsoleRouter::secure(const HttpRequest&, HttpResponse& res) const {
    res.set_header("Content-Security-Policy", assets_.content_security_policy());
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    if (res.header("Cache-Control").empty()) res.set_header("Cache-Control", "no-store");
}

HttpResponse ConsoleRouter::fault_response(TransportFault fault, const HttpRequest* head, const std::string& detail) {
    if (!head || !is_console(*head)) return api_.fault_response(fault, head, detail);
    HttpResponse res;
    switch (fault) {
        case TransportFault::BodyTooLarge: write_message(res, 413, "the request body is too large: " + detail); break;
        case TransportFault::Overloaded: write_message(res, 503, "the server is busy; try again"); break;
        case TransportFault::Internal: write_message(res, 500, "internal error"); break;
        default: write_message(res, 400, detail);
    }
    return res;
}

}  // namespace apiary::service
