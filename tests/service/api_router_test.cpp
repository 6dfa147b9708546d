// ApiRouter in process: what plan() lets through before a body is read, what handle() makes of
// a request and its body (digests, ranges, routing), without a socket.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/files.h"
#include "core/hash.h"
#include "service/api_router.h"
#include "service/handler_harness.h"
#include "service/event_pipelines.h"
#include "service/rekognition_api.h"
#include "service/s3_api.h"
#include "store/credentials.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

class ApiRouterTest : public ::testing::Test {
protected:
    ApiRouterTest()
        : dir(tmp.path() / "data"), objects(dir), credentials(dir), s3(objects, "us-east-1"), rekognition(dir, objects),
          pipelines(dir, objects, rekognition), key(credentials.create("test")) {
        limits.max_object_bytes = 1000;
        router.emplace(limits, credentials, objects, s3, rekognition, pipelines);
        objects.create_bucket("photos");
        objects.put_object_bytes("photos", "a.txt", "0123456789");
    }

    // A request signed with the test key for `service`, over a body whose digest is `sha256`.
    HttpRequest signed_request(const std::string& method, const std::string& target, HeaderList extra = {},
                               const std::string& body_sha256 = sha256_hex(""), const std::string& service = "s3") {
        HttpRequest r = HttpRequest::from_target(method, target);
        r.headers = {{"Host", "127.0.0.1"}};
        if (service == "s3") r.headers.emplace_back("x-amz-content-sha256", body_sha256);
        r.headers.insert(r.headers.end(), extra.begin(), extra.end());
        const std::string date = amz_date(now_ms() / 1000);
        for (auto& h : sign_request(r.sigv4_view(body_sha256), key.id, key.secret, {date.substr(0, 8), "us-east-1", service}, date))
            if (!r.has_header(h.first)) r.headers.push_back(std::move(h));
        return r;
    }

    // plan(), then handle() with `body` received as the plan asks.
    HttpResponse send(const HttpRequest& r, const std::string& body = "") { return test::send_through(*router, r, body); }

    static std::string body_of(HttpResponse& res) {
        if (!res.stream) return res.body;
        std::string out(static_cast<size_t>(res.stream->length), '\0');
        size_t at = 0;
        while (at < out.size()) {
            const size_t n = res.stream->read(out.data() + at, out.size() - at);
            if (n == 0) break;
            at += n;
        }
        out.resize(at);
        return out;
    }

    static std::string code_of(const HttpResponse& res) {
        const auto a = res.body.find("<Code>"), b = res.body.find("</Code>");
        if (a != std::string::npos) return res.body.substr(a + 6, b - a - 6);
        const auto t = res.header("x-amzn-ErrorType");
        return t.empty() ? "no error" : t;
    }

    test::TempDir tmp;
    store::DataDir dir;
    store::ObjectStore objects;
    store::CredentialStore credentials;
    S3Api s3;
    RekognitionApi rekognition;
    EventPipelines pipelines;
    store::AccessKey key;
    RouterLimits limits;
    std::optional<ApiRouter> router;
};

TEST_F(ApiRouterTest, RefusesAnUnsignedUploadBeforeItsBody) {
    HttpRequest r = HttpRequest::from_target("PUT", "/photos/b.txt");
    r.headers = {{"Host", "127.0.0.1"}, {"Content-Length", "5"}};
    HttpResponse refusal;
    EXPECT_FALSE(router->plan(r, refusal));
    EXPECT_EQ(refusal.status, 403);
    EXPECT_EQ(code_of(refusal), "AccessDenied");
}

TEST_F(ApiRouterTest, PlansUploadsToAStagingFileWithinTheObjectLimit) {
    const auto ok = signed_request("PUT", "/photos/b.txt", {{"Content-Length", "5"}}, sha256_hex("hello"));
    HttpResponse unused;
    const auto plan = router->plan(ok, unused);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->kind, BodyPlan::Kind::File);
    EXPECT_EQ(plan->limit, 1000);

    const auto big = signed_request("PUT", "/photos/c.txt", {{"Content-Length", "1001"}}, kUnsignedPayload.data());
    HttpResponse refusal;
    EXPECT_FALSE(router->plan(big, refusal));
    EXPECT_EQ(code_of(refusal), "EntityTooLarge");

    const auto no_length = signed_request("PUT", "/photos/c.txt", {}, kUnsignedPayload.data());
    EXPECT_FALSE(router->plan(no_length, refusal));
    EXPECT_EQ(code_of(refusal), "MissingContentLength");
}

TEST_F(ApiRouterTest, StoresAnUploadOnlyWhenEveryDigestMatches) {
    auto wrong_sha = signed_request("PUT", "/photos/b.txt", {{"Content-Length", "5"}}, sha256_hex("other"));
    EXPECT_EQ(code_of(send(wrong_sha, "hello")), "XAmzContentSHA256Mismatch");
    const std::string bad_md5 = base64_encode(from_hex(md5_hex("other")).value());
    auto wrong_md5 = signed_request("PUT", "/photos/b.txt", {{"Content-Length", "5"}, {"Content-MD5", bad_md5}}, sha256_hex("hello"));
    EXPECT_EQ(code_of(send(wrong_md5, "hello")), "BadDigest");
    EXPECT_FALSE(objects.find_object("photos", "b.txt"));

    const std::string good_md5 = base64_encode(from_hex(md5_hex("hello")).value());
    auto good = signed_request("PUT", "/photos/b.txt", {{"Content-Length", "5"}, {"Content-MD5", good_md5}}, sha256_hex("hello"));
    auto res = send(good, "hello");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.header("ETag"), '"' + md5_hex("hello") + '"');
    EXPECT_EQ(objects.read_object_bytes("photos", "b.txt"), "hello");
}

TEST_F(ApiRouterTest, HoldsBodiesToTheirDeclaredDigestEvenWithoutAuthentication) {
    limits.auth = false;
    router.emplace(limits, credentials, objects, s3, rekognition, pipelines);
    HttpRequest r = HttpRequest::from_target("PUT", "/photos/b.txt");
    r.headers = {{"Content-Length", "5"}, {"x-amz-content-sha256", sha256_hex("other")}};
    EXPECT_EQ(code_of(send(r, "hello")), "XAmzContentSHA256Mismatch");
    EXPECT_FALSE(objects.find_object("photos", "b.txt"));
}

TEST_F(ApiRouterTest, ServesRangesAndHeadWithoutABody) {
    auto res = send(signed_request("GET", "/photos/a.txt", {{"Range", "bytes=2-4"}}));
    EXPECT_EQ(res.status, 206);
    EXPECT_EQ(res.header("Content-Range"), "bytes 2-4/10");
    EXPECT_EQ(body_of(res), "234");

    auto suffix = send(signed_request("GET", "/photos/a.txt", {{"Range", "bytes=-3"}}));
    EXPECT_EQ(body_of(suffix), "789");

    auto beyond = send(signed_request("GET", "/photos/a.txt", {{"Range", "bytes=10-"}}));
    EXPECT_EQ(beyond.status, 416);
    EXPECT_EQ(beyond.header("Content-Range"), "bytes */10");

    auto head = send(signed_request("HEAD", "/photos/a.txt"));
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.head_content_length, 10);
    EXPECT_FALSE(head.stream);

    auto missing = send(signed_request("HEAD", "/photos/none"));
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.body.empty());
}

TEST_F(ApiRouterTest, RefusesMethodsS3DoesNotHave) {
    auto res = send(signed_request("PATCH", "/photos/a.txt"));
    EXPECT_EQ(res.status, 405);
    EXPECT_EQ(code_of(res), "MethodNotAllowed");
}

TEST_F(ApiRouterTest, JsonRequestsMustNameAKnownKeyBeforeTheirBodyIsRead) {
    HttpRequest r = HttpRequest::from_target("POST", "/");
    r.headers = {{"X-Amz-Target", "RekognitionService.DescribeProjects"}};
    HttpResponse refusal;
    EXPECT_FALSE(router->plan(r, refusal));
    EXPECT_EQ(code_of(refusal), "MissingAuthenticationToken");

    r.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDNOTAKEY/20260101/us-east-1/rekognition/aws4_request, "
                                            "SignedHeaders=host, Signature=00");
    EXPECT_FALSE(router->plan(r, refusal));
    EXPECT_EQ(code_of(refusal), "UnrecognizedClientException");
}

TEST_F(ApiRouterTest, AnswersSignedJsonRequestsAndRefusesDeepNesting) {
    const std::string body = "{}";
    auto ok = signed_request("POST", "/", {{"X-Amz-Target", "RekognitionService.DescribeProjects"}}, sha256_hex(body),
                             "rekognition");
    auto res = send(ok, body);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_NE(res.body.find("ProjectDescriptions"), std::string::npos);

    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    auto nested = signed_request("POST", "/", {{"X-Amz-Target", "RekognitionService.DescribeProjects"}}, sha256_hex(deep),
                                 "rekognition");
    auto refused = send(nested, deep);
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(code_of(refused), "SerializationException");

    auto tampered = send(ok, "{\"x\":1}");  // signed for another body
    EXPECT_EQ(code_of(tampered), "InvalidSignatureException");
}

TEST_F(ApiRouterTest, InternalFailuresReachTheClientWithoutTheirDetail) {
    auto res = router->fault_response(TransportFault::Internal, nullptr, "open /var/lib/secret/apiary.db: permission denied");
    EXPECT_EQ(res.status, 500);
    EXPECT_EQ(code_of(res), "InternalError");
    EXPECT_EQ(res.body.find("/var/lib"), std::string::npos);
    EXPECT_NE(res.body.find("reference"), std::string::npos);
}

}  // namespace
}  // namespace apiary::service
