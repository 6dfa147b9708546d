#include "service/api_router.h"

#include <atomic>
#include <iostream>

#include "core/base64.h"
#include "core/hash.h"
#include "core/json_parse.h"
#include "core/text.h"
#include "service/event_pipelines.h"
#include "service/rekognition_api.h"
#include "service/s3_api.h"
#include "service/s3_errors.h"
#include "service/sigv4.h"
#include "store/credentials.h"
#include "store/object_store.h"

namespace apiary::service {

namespace {

constexpr const char* kJsonType = "application/x-amz-json-1.1";
constexpr std::string_view kTargetPrefix = "RekognitionService.";

int64_t now_s() { return now_ms() / 1000; }

void write_json_error(HttpResponse& res, const ApiError& e) {
    res = HttpResponse{};
    res.status = e.status();
    res.set_header("x-amzn-ErrorType", e.code());
    res.set_content(Json{{"__type", e.code()}, {"message", e.what()}}.dump(), kJsonType);
}

void write_s3_error(HttpResponse& res, const ApiError& e, const HttpRequest& req) {
    const bool head = req.method == "HEAD";
    S3Api::write_error(res, e.status(), e.code(), e.what(), req.path);
    if (head) {
        res.body.clear();
        res.head_content_length = 0;
    }
}

// A failure of the server itself: the client learns only that it happened and a reference to
// quote; the operator's log gets the detail, which may name files of this machine.
ApiError internal_error(const std::exception& e, ServiceFamily family) {
    static std::atomic<uint64_t> counter{0};
    const std::string reference = std::to_string(now_ms()) + "-" + std::to_string(++counter);
    std::clog << "apiary serve: internal error " << reference << ": " << e.what() << std::endl;
    const std::string message = "We encountered an internal error. Please try again. (reference " + reference + ")";
    return family == ServiceFamily::S3 ? s3_error(S3Error::InternalError, message)
                                       : ApiError(500, "InternalServerError", message);
}

void check_s3_method(const HttpRequest& head) {
    const std::string& m = head.method;
    if (m != "GET" && m != "HEAD" && m != "PUT" && m != "POST" && m != "DELETE")
        throw s3_error(S3Error::MethodNotAllowed, "The specified method is not allowed against this resource.");
}

bool is_bucket_request(const HttpRequest& head) { return split_s3_path(head.path).second.empty(); }

// The access key id a request claims, from its Authorization header or presigned query; "" when
// it claims none.
std::string claimed_access_key(const HttpRequest& head) {
    std::string credential;
    const std::string auth = head.header("Authorization");
    if (const auto at = auth.find("Credential="); at != std::string::npos)
        credential = auth.substr(at + 11);
    else
        credential = head.param("X-Amz-Credential");
    return credential.substr(0, credential.find('/'));
}

}  // namespace

bool is_json_api(const HttpRequest& head) { return head.method == "POST" && head.has_header("X-Amz-Target"); }

ApiRouter::ApiRouter(const RouterLimits& limits, store::CredentialStore& credentials, store::ObjectStore& objects,
                     S3Api& s3, RekognitionApi& rekognition, EventPipelines& pipelines)
    : limits_(limits), credentials_(credentials), objects_(objects), s3_(s3), rekognition_(rekognition),
      pipelines_(pipelines) {}

void ApiRouter::authenticate_s3(const HttpRequest& head) {
    if (!limits_.auth) return;
    // The signature covers the digest the client declares; the body is held to it as it arrives.
    const std::string declared = head.header("x-amz-content-sha256");
    const auto identity = verify_sigv4(head.sigv4_view(declared.empty() ? sha256_hex("") : declared),
                                       [this](const std::string& id) { return credentials_.secret_for(id); }, now_s(),
                                       ServiceFamily::S3);
    if (identity.scope.service != "s3")
        throw AuthError(403, "SignatureDoesNotMatch",
                        "Credential should be scoped to the service 's3', not '" + identity.scope.service + "'");
}

// The JSON protocol signs the body itself, so the signature can only be checked once the body is
// in; before reading up to 16 MiB of it, the request must at least name a key that exists.
void ApiRouter::check_json_credentials(const HttpRequest& head) {
    if (!limits_.auth) return;
    const std::string id = claimed_access_key(head);
    if (id.empty()) throw AuthError(403, "MissingAuthenticationToken", "Missing Authentication Token");
    if (!credentials_.secret_for(id))
        throw AuthError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
}

BodyPlan ApiRouter::plan_s3(const HttpRequest& head) {
    check_s3_method(head);  // before authentication, as S3 answers
    authenticate_s3(head);
    return s3_body_plan(head);
}

BodyPlan ApiRouter::s3_body_plan(const HttpRequest& head) {
    check_s3_method(head);
    const std::string& m = head.method;
    if (m == "POST") return {BodyPlan::Kind::Memory, static_cast<int64_t>(limits_.max_s3_post_body), {}};
    if (m != "PUT" || head.has_header("x-amz-copy-source")) return {};
    if (is_bucket_request(head)) return {BodyPlan::Kind::Memory, static_cast<int64_t>(limits_.max_bucket_put_body), {}};
    const std::string length = head.header("Content-Length");
    if (length.empty() && !istarts_with(head.header("Transfer-Encoding"), "chunked"))
        throw s3_error(S3Error::MissingContentLength, "You must provide the Content-Length HTTP header.");
    if (!length.empty() && (length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos))
        throw s3_error(S3Error::InvalidArgument, "Content-Length must be a number of bytes");
    if (!length.empty() && std::stoll(length) > limits_.max_object_bytes)
        throw s3_error(S3Error::EntityTooLarge, "a single upload is limited to " + std::to_string(limits_.max_object_bytes) +
                                                    " bytes; use a multipart upload");
    return {BodyPlan::Kind::File, limits_.max_object_bytes, objects_.new_staging_path()};
}

std::optional<BodyPlan> ApiRouter::plan(const HttpRequest& head, HttpResponse& refusal) {
    const bool json = is_json_api(head);
    try {
        if (!json) return plan_s3(head);
        check_json_credentials(head);
        return BodyPlan{BodyPlan::Kind::Memory, static_cast<int64_t>(limits_.max_json_body), {}};
    } catch (const ApiError& e) {
        json ? write_json_error(refusal, e) : write_s3_error(refusal, e, head);
    } catch (const std::exception& e) {
        const auto family = json ? ServiceFamily::Json : ServiceFamily::S3;
        json ? write_json_error(refusal, internal_error(e, family)) : write_s3_error(refusal, internal_error(e, family), head);
    }
    return std::nullopt;
}

void ApiRouter::check_body_digests(const HttpRequest& request, const std::string& sha256_hex_of_body,
                                   const std::string& md5_hex_of_body) {
    // Held to whatever the client declared, signed or not (also under --no-auth).
    const std::string declared = request.header("x-amz-content-sha256");
    if (!declared.empty() && declared != kUnsignedPayload && !declared.starts_with("STREAMING-") &&
        ascii_lowercase(declared) != sha256_hex_of_body)
        throw s3_error(S3Error::XAmzContentSHA256Mismatch,
                       "The provided 'x-amz-content-sha256' header does not match what was computed.");
    if (request.has_header("Content-MD5")) {
        const auto md5 = base64_decode(request.header("Content-MD5"));
        if (!md5 || md5->size() != 16) throw s3_error(S3Error::InvalidArgument, "The Content-MD5 you specified is not valid.");
        if (to_hex(*md5) != md5_hex_of_body)
            throw s3_error(S3Error::BadDigest, "The Content-MD5 you specified did not match what we received.");
    }
}

void ApiRouter::handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) {
    if (is_json_api(request)) return handle_json(request, body.text, response);
    run_s3(request, body, response);
}

void ApiRouter::handle_json(const HttpRequest& req, const std::string& body, HttpResponse& res) {
    try {
        if (limits_.auth) {
            const auto identity = verify_sigv4(req.sigv4_view(sha256_hex(body)),
                                               [this](const std::string& id) { return credentials_.secret_for(id); },
                                               now_s(), ServiceFamily::Json);
            if (identity.scope.service != "rekognition")
                throw AuthError(400, "InvalidSignatureException",
                                "Credential should be scoped to the service 'rekognition', not '" + identity.scope.service + "'");
        }
    } catch (const ApiError& e) {
        return write_json_error(res, e);
    } catch (const std::exception& e) {
        return write_json_error(res, internal_error(e, ServiceFamily::Json));
    }
    run_json(req.header("X-Amz-Target"), body, res);
}

void ApiRouter::run_json(const std::string& target, const std::string& body, HttpResponse& res) {
    try {
        if (!target.starts_with(kTargetPrefix))
            throw ApiError(400, "UnknownOperationException", "unknown X-Amz-Target '" + target + "'");
        Json request = Json::object();
        if (!body.empty()) {
            try {
                request = parse_json_limited(body);
            } catch (const JsonSyntaxError& e) {
                throw ApiError(400, "SerializationException", std::string("the request body is not valid JSON: ") + e.what());
            }
        }
        const Json answer = rekognition_.handle(target.substr(kTargetPrefix.size()), request);
        res.set_content(answer.dump(), kJsonType);
    } catch (const ApiError& e) {
        write_json_error(res, e);
    } catch (const std::exception& e) {
        write_json_error(res, internal_error(e, ServiceFamily::Json));
    }
}

void ApiRouter::run_s3(const HttpRequest& req, ReceivedBody& body, HttpResponse& res) {
    try {
        if (body.staged)
            check_body_digests(req, body.staged->sha256_hex, body.staged->md5_hex);
        else if (!body.text.empty() || req.method == "POST" || req.method == "PUT")
            check_body_digests(req, sha256_hex(body.text), md5_hex(body.text));
        s3_.handle(req, res, body.staged ? &*body.staged : nullptr, body.text);
    } catch (const ApiError& e) {
        write_s3_error(res, e, req);
    } catch (const std::exception& e) {
        write_s3_error(res, internal_error(e, ServiceFamily::S3), req);
    }
    if (req.method == "PUT" || req.method == "POST") pipelines_.after_write();
}

HttpResponse ApiRouter::fault_response(TransportFault fault, const HttpRequest* head, const std::string& detail) {
    HttpResponse res;
    const bool json = head && is_json_api(*head);
    if (json) {
        switch (fault) {
            case TransportFault::BodyTooLarge: write_json_error(res, rekognition::image_too_large(detail)); break;
            case TransportFault::Internal:
                write_json_error(res, internal_error(std::runtime_error(detail), ServiceFamily::Json));
                break;
            case TransportFault::Overloaded:
                write_json_error(res, rekognition::throttling("too many connections; retry later"));
                break;
            default: write_json_error(res, ApiError(400, "SerializationException", detail)); break;
        }
        return res;
    }
    const auto error = [&]() -> ApiError {
        switch (fault) {
            case TransportFault::MalformedRequest: return s3_error(S3Error::InvalidRequest, detail);
            case TransportFault::HeaderTooLarge: return s3_error(S3Error::RequestHeaderSectionTooLarge, detail);
            case TransportFault::BodyTooLarge: return s3_error(S3Error::EntityTooLarge, detail);
            case TransportFault::UnexpectedBody: return s3_error(S3Error::UnexpectedContent, detail);
            case TransportFault::Overloaded: return s3_error(S3Error::SlowDown, "Please reduce your request rate.");
            case TransportFault::Internal: break;
        }
        return internal_error(std::runtime_error(detail), ServiceFamily::S3);
    }();
    if (head) {
        write_s3_error(res, error, *head);
    } else {
        S3Api::write_error(res, error.status(), error.code(), error.what(), "");
    }
    return res;
}

}  // namespace apiary::service
