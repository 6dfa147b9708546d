// SigV4 verification of a request as it came off the wire (Authorization header or presigned
// query), against a fixed key and clock so that seeds signed by the generator verify and the
// mutations explore every refusal. A refusal is an AuthError with a code and status; a request
// that verifies must name the one key that exists.
#include "fuzz_support.h"
#include "request_text.h"

namespace {

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr int64_t kNow = 1440938160;  // 2015-08-30T12:36:00Z, the AWS SigV4 test suite's date

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::service;
    const HttpRequestView request = apiary::fuzz::parse_request_text(apiary::fuzz::bytes_of(data, size));
    const SecretLookup lookup = [](const std::string& id) -> std::optional<std::string> {
        if (id == kAccessKey) return kSecret;
        return std::nullopt;
    };
    for (const ServiceFamily family : {ServiceFamily::S3, ServiceFamily::Json}) {
        try {
            const VerifiedIdentity who = verify_sigv4(request, lookup, kNow, family);
            APIARY_FUZZ_CHECK(who.access_key_id == kAccessKey);
        } catch (const AuthError& e) {
            APIARY_FUZZ_CHECK(!e.code().empty() && e.status() >= 400 && e.status() <= 599);
        }
        (void)canonical_uri(request.raw_path, family);
    }
    (void)canonical_query(request.raw_query, false);
    (void)canonical_query(request.raw_query, true);
    (void)uri_encode(request.raw_path, true);
    return 0;
}
