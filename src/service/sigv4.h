#pragma once
// AWS Signature Version 4, both ends: verify_sigv4 checks what the AWS CLI and SDKs send
// (Authorization header or presigned URL), sign_request signs our own clients' requests.
// Transport-independent: the HTTP layer copies what it received into an HttpRequestView.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/api_error.h"

namespace apiary::service {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// What the verifier needs from an HTTP request, exactly as it came off the wire: a signature
// covers the bytes the client sent, so nothing here may be decoded or normalised first.
struct HttpRequestView {
    std::string method;              // "GET", "PUT", ...
    std::string raw_path;            // still percent-encoded, without the query: "/bucket/a%20b.jpg"
    std::string raw_query;           // without '?', still percent-encoded; "" if none
    HeaderList headers;              // as received: any case, repeated names possible
    std::string payload_sha256_hex;  // sha256 of the body as received
};

struct SigV4Scope {
    std::string date;  // yyyymmdd
    std::string region;
    std::string service;

    std::string str() const;  // "20150830/us-east-1/s3/aws4_request"
};

struct VerifiedIdentity {
    std::string access_key_id;
    SigV4Scope scope;  // as the client claimed it; region and service are for the caller to check
};

// S3 and the JSON services (Rekognition) differ in error codes and in how the path is signed.
enum class ServiceFamily { S3, Json };

// A rejected request, with the code and HTTP status the real service gives for the same fault:
//   fault                      S3                                      JSON services
//   no credentials             AccessDenied 403                        MissingAuthenticationToken 403
//   malformed header/params    AuthorizationHeaderMalformed 400        IncompleteSignature 400
//                              (AuthorizationQueryParametersError 400 for presigned URLs)
//   unsupported request        InvalidRequest 400                      IncompleteSignature 400
//     (SigV2, two auth kinds at once, S3 without x-amz-content-sha256, UNSIGNED-PAYLOAD off S3)
//   unknown access key         InvalidAccessKeyId 403                  UnrecognizedClientException 400
//   wrong signature            SignatureDoesNotMatch 403               InvalidSignatureException 400
//   clock skew over 15 min     RequestTimeTooSkewed 403                InvalidSignatureException 400
//   presigned URL expired      AccessDenied 403                        InvalidSignatureException 400
//   body != declared sha256    XAmzContentSHA256Mismatch 400           InvalidSignatureException 400
//   chunked (STREAMING-*) body NotImplemented 501                      IncompleteSignature 400
//   unsigned x-amz-* header,   AccessDenied 403                        IncompleteSignature 400
//     Content-Type (or S3's Content-MD5) in a header-signed request; a presigned URL must sign
//     the x-amz-* headers sent with it
class AuthError : public ApiError {
public:
    using ApiError::ApiError;
    std::string message() const { return what(); }
};

inline constexpr int64_t kMaxClockSkewSeconds = 15 * 60;
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// The secret of an access key id, or nullopt when the key is unknown.
using SecretLookup = std::function<std::optional<std::string>(const std::string& access_key_id)>;

// Verifies a request signed either way (Authorization header, or X-Amz-* query parameters of a
// presigned URL) against the clock `now_unix_s`; throws AuthError. For S3, header-signed
// requests must carry x-amz-content-sha256 (a hex sha256 that must match the body, or
// UNSIGNED-PAYLOAD); presigned URLs default to UNSIGNED-PAYLOAD. Every x-amz-* header present
// must be signed, and Content-Type (S3: also Content-MD5) unless the request is presigned.
VerifiedIdentity verify_sigv4(const HttpRequestView& request, const SecretLookup& secret_for, int64_t now_unix_s,
                              ServiceFamily family);

// Client side: the headers to add to `request` (X-Amz-Date, x-amz-content-sha256 when
// scope.service is "s3", Authorization). Every header already in `request` is signed; it must
// include Host. For S3, payload_sha256_hex may be UNSIGNED-PAYLOAD.
HeaderList sign_request(const HttpRequestView& request, const std::string& access_key_id, const std::string& secret,
                        const SigV4Scope& scope, const std::string& amz_date);

// "yyyymmddThhmmssZ" of a unix time, the form X-Amz-Date takes.
std::string amz_date(int64_t unix_s);

// Building blocks, public for the tests.

// AWS's URI encoding: A-Z a-z 0-9 - _ . ~ stay, every other byte becomes %XX (uppercase).
std::string uri_encode(std::string_view text, bool encode_slash);
// S3 signs the path as sent; other services sign it with dot segments and empty segments
// removed, then encoded once more (so "%20" on the wire is signed as "%2520").
std::string canonical_uri(std::string_view raw_path, ServiceFamily family);
// Parameters decoded, re-encoded with uri_encode, sorted by name then value; "a" means "a=".
// `drop_signature` leaves out X-Amz-Signature, which a presigned URL cannot sign.
std::string canonical_query(std::string_view raw_query, bool drop_signature = false);
// "name:value\n" per signed name (lowercase, in the order given); repeated headers joined with
// ',', values trimmed with inner runs of blanks collapsed. An absent header gives an empty value.
std::string canonical_headers(const HeaderList& headers, const std::vector<std::string>& signed_names);
std::string canonical_request(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                              std::string_view canonical_headers, std::string_view signed_headers,
                              std::string_view payload_hash);
std::string string_to_sign(std::string_view amz_date, const SigV4Scope& scope, std::string_view canonical_request);
std::string hmac_sha256(std::string_view key, std::string_view data);       // raw 32 bytes
std::string signing_key(std::string_view secret, const SigV4Scope& scope);  // raw 32 bytes
// The signature of `string_to_sign`, as the 64 lowercase hex digits clients send.
std::string signature_hex(std::string_view secret, const SigV4Scope& scope, std::string_view string_to_sign);

}  // namespace apiary::service
