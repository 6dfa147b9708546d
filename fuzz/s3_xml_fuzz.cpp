// The S3 request bodies Apiary parses: CompleteMultipartUpload and DeleteObjects. Anything
// unexpected must be refused with MalformedXML (store::ObjectStoreError), never a crash or
// another exception (which the server would answer 500).
#include "fuzz_support.h"
#include "service/s3_xml.h"

namespace {

// MalformedXML, recognised by its message: the same whether the code is a string or an S3Error.
bool is_malformed_xml(const apiary::store::ObjectStoreError& e) {
    return std::string_view(e.what()).starts_with("The XML you provided was not well-formed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::service;
    const std::string body(apiary::fuzz::bytes_of(data, size));
    try {
        for (const auto& [number, etag] : s3xml::parse_complete_multipart(body)) APIARY_FUZZ_CHECK(number >= 0);
    } catch (const apiary::store::ObjectStoreError& e) {
        APIARY_FUZZ_CHECK(is_malformed_xml(e));
    }
    try {
        const auto request = s3xml::parse_delete_objects(body);
        APIARY_FUZZ_CHECK(request.keys.size() <= 1000);
        std::vector<s3xml::DeleteOutcome> outcomes;
        for (const auto& key : request.keys) outcomes.push_back({key, "", ""});
        // The answer echoes the keys; it must be written whatever they hold.
        (void)s3xml::delete_result(outcomes, request.quiet);
    } catch (const apiary::store::ObjectStoreError& e) {
        APIARY_FUZZ_CHECK(is_malformed_xml(e));
    }
    return 0;
}
