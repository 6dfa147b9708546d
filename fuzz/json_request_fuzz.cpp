// Decoding a Rekognition JSON API request: the body parsed with the service's depth limit,
// then the member readers every handler uses (strings, numbers, paging, ARNs). A bad body or
// member is refused with a 400 ApiError naming it, never a crash or a 500-bound exception.
#include "core/arn.h"
#include "core/json.h"
#include "fuzz_support.h"
#include "service/api_error.h"
#include "service/request_fields.h"

#include "core/json_parse.h"

namespace {

// The request body as a handler receives it (api_router.cpp parses it so); nullopt when the
// body is refused, which the router answers 400 SerializationException.
std::optional<apiary::Json> parse_body(std::string_view text) {
    try {
        return apiary::parse_json_limited(text);
    } catch (const apiary::Error&) {  // JsonSyntaxError, JsonTooDeep
        return std::nullopt;
    }
}

template <class Read>
void member(Read read) {
    try {
        read();
    } catch (const apiary::service::ApiError& e) {
        APIARY_FUZZ_CHECK(e.status() == 400 && !e.code().empty());
    }
}

// The members the handlers read, in the shapes of the operations that read them.
void read_members(const apiary::Json& body) {
    using namespace apiary::service;
    if (!body.is_object()) return;  // RekognitionApi refuses it before any handler
    const Members request(body);
    member([&] { (void)request.required_string("ProjectName"); });
    member([&] { (void)request.optional_string("VersionName"); });
    member([&] { (void)request.optional_bool("AutoUpdate"); });
    member([&] { (void)request.optional_integer("MinInferenceUnits", 1, 1000); });
    member([&] { (void)request.optional_number("MinConfidence", 0, 100); });
    member([&] { (void)request.string_list("ProjectNames"); });
    member([&] { (void)tags_member(request, "Tags"); });
    member([&] {
        const PageRequest paging = page_request(request, 100, 100);
        const Page page = page_of(paging, 250);
        APIARY_FUZZ_CHECK(page.begin <= page.end && page.end <= 250 && page.end - page.begin <= paging.max);
    });
    member([&] {  // DetectCustomLabels
        const Members image = request.required_object("Image");
        if (image.has("S3Object")) {
            const Members object = image.required_object("S3Object");
            (void)object.required_string("Bucket");
            (void)object.required_string("Name");
        } else {
            (void)image.required_string("Bytes");
        }
    });
    member([&] {  // UpdateDatasetEntries, CreateDataset
        if (const auto changes = request.optional_object("Changes")) (void)changes->required_string("GroundTruth");
        for (const Members& source : request.object_list("DatasetSources")) (void)source.string_map("Attributes");
    });
    for (const char* name : {"ProjectArn", "ProjectVersionArn", "DatasetArn"})
        member([&] {
            if (const auto arn = request.optional_string(name)) (void)apiary::parse_arn(*arn);
        });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::service;
    const auto request = parse_body(apiary::fuzz::bytes_of(data, size));
    if (!request) return 0;
    read_members(*request);
    // The older top-level readers, still used by a few handlers.
    member([&] { (void)required_string(*request, "ProjectName"); });
    member([&] { (void)optional_number(*request, "MinConfidence"); });
    member([&] {
        const Page page = page_of(*request, 250, 100, 100);
        APIARY_FUZZ_CHECK(page.begin <= page.end && page.end <= 250);
    });
    (void)request->dump(-1, ' ', false, apiary::Json::error_handler_t::replace);  // as a response echoes it
    return 0;
}
