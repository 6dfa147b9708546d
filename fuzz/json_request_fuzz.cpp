// Decoding a Rekognition JSON API request: the body parsed with the service's depth limit,
// then the member readers every handler uses (strings, numbers, paging, ARNs). A bad body or
// member is refused with a 400 ApiError naming it, never a crash or a 500-bound exception.
#include "core/arn.h"
#include "core/json.h"
#include "fuzz_support.h"
#include "service/api_error.h"
#include "service/request_fields.h"

#if __has_include("core/json_parse.h")
#include "core/json_parse.h"
#define APIARY_FUZZ_HAVE_JSON_PARSE 1
#endif

namespace {

constexpr int kMaxDepth = 64;

struct TooDeep {};

// The request body as a handler receives it; nullopt when the body is refused.
std::optional<apiary::Json> parse_body(std::string_view text) {
#ifdef APIARY_FUZZ_HAVE_JSON_PARSE
    try {
        return apiary::parse_json_limited(text, kMaxDepth);
    } catch (const apiary::Error&) {  // JsonSyntaxError, JsonTooDeep: a 400 for the client
        return std::nullopt;
    }
#else
    // Until core/json_parse exists: nlohmann's parser keeps its own stack, and the callback
    // stops it at the depth limit before any recursive copy or dump can see the document.
    try {
        return apiary::Json::parse(text, [](int depth, apiary::Json::parse_event_t, apiary::Json&) {
            if (depth > kMaxDepth) throw TooDeep{};
            return true;
        });
    } catch (const TooDeep&) {
        return std::nullopt;
    } catch (const apiary::Json::exception&) {
        return std::nullopt;
    }
#endif
}

template <class Read>
void member(Read read) {
    try {
        read();
    } catch (const apiary::service::ApiError& e) {
        APIARY_FUZZ_CHECK(e.status() == 400 && !e.code().empty());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::service;
    const auto request = parse_body(apiary::fuzz::bytes_of(data, size));
    if (!request) return 0;
    member([&] { (void)required_string(*request, "ProjectName"); });
    member([&] { (void)optional_string(*request, "VersionName"); });
    member([&] { (void)optional_number(*request, "MinConfidence"); });
    member([&] {
        const Page page = page_of(*request, 250, 100, 100);
        APIARY_FUZZ_CHECK(page.begin <= page.end && page.end <= 250);
    });
    for (const char* name : {"ProjectArn", "ProjectVersionArn", "DatasetArn"})
        member([&] {
            if (const auto arn = optional_string(*request, name)) (void)apiary::parse_arn(*arn);
        });
    (void)request->dump(-1, ' ', false, apiary::Json::error_handler_t::replace);  // as a response echoes it
    return 0;
}
