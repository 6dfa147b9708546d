#pragma once
// `apiary serve`'s process_request: decides each request's body plan from its header
// (authenticating before any body byte is read), then routes it to the Rekognition JSON API
// (POST with X-Amz-Target) or to the S3 operations. Transport-free: the front end hands it
// HttpRequest/HttpResponse views, and unit tests can do the same.
#include <cstdint>
#include <string>

#include "service/http_front_end.h"

namespace apiary::store {
class CredentialStore;
class ObjectStore;
}  // namespace apiary::store

namespace apiary::service {

class EventPipelines;
class RekognitionApi;
class S3Api;

struct RouterLimits {
    bool auth = true;
    size_t max_json_body = 16 * 1024 * 1024;      // Rekognition requests (4 MB images, base64)
    size_t max_s3_post_body = 16 * 1024 * 1024;   // DeleteObjects, CompleteMultipartUpload XML
    size_t max_bucket_put_body = 64 * 1024;       // CreateBucketConfiguration XML
    int64_t max_object_bytes = int64_t(5) << 30;  // one PutObject or UploadPart body
};

class ApiRouter : public RequestHandler {
public:
    ApiRouter(const RouterLimits& limits, store::CredentialStore& credentials, store::ObjectStore& objects, S3Api& s3,
              RekognitionApi& rekognition, EventPipelines& pipelines);

    std::optional<BodyPlan> plan(const HttpRequest& head, HttpResponse& refusal) override;
    void handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) override;
    HttpResponse fault_response(TransportFault fault, const HttpRequest* head, const std::string& detail) override;

    // The operations themselves, for callers that authenticated the request their own way (the
    // console's session): a Rekognition JSON operation by its X-Amz-Target, the body plan of an
    // S3 request, and an S3 request.
    void run_json(const std::string& target, const std::string& body, HttpResponse& response);
    BodyPlan s3_body_plan(const HttpRequest& head);
    void run_s3(const HttpRequest& request, ReceivedBody& body, HttpResponse& response);

private:
    void handle_json(const HttpRequest& request, const std::string& body, HttpResponse& response);
    BodyPlan plan_s3(const HttpRequest& head);
    void authenticate_s3(const HttpRequest& head);
    void check_json_credentials(const HttpRequest& head);
    void check_body_digests(const HttpRequest& request, const std::string& sha256_hex, const std::string& md5_hex);

    RouterLimits limits_;
    store::CredentialStore& credentials_;
    store::ObjectStore& objects_;
    S3Api& s3_;
    RekognitionApi& rekognition_;
    EventPipelines& pipelines_;
};

// True for requests of the Rekognition JSON protocol (POST with X-Amz-Target).
bool is_json_api(const HttpRequest& head);

}  // namespace apiary::service
