#include "core/arn.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace apiary {
namespace {
std::string prefix(const ArnScope& s) { return "arn:aws:rekognition:" + s.region + ":" + s.account + ":project/"; }
}  // namespace

ArnScope ArnScope::from_environment() {
    ArnScope s;
    if (const char* r = std::getenv("APIARY_REGION"); r && *r) s.region = r;
    if (const char* a = std::getenv("APIARY_ACCOUNT"); a && *a) s.account = a;
    return s;
}

std::string project_arn(const ArnScope& scope, const std::string& project, int64_t created_ms) {
    return prefix(scope) + project + "/" + std::to_string(created_ms);
}

std::string dataset_arn(const ArnScope& scope, const std::string& project, const std::string& type,
                        int64_t created_ms) {
    return prefix(scope) + project + "/dataset/" + type + "/" + std::to_string(created_ms);
}

std::string version_arn(const ArnScope& scope, const std::string& project, const std::string& version,
                        int64_t created_ms) {
    return prefix(scope) + project + "/version/" + version + "/" + std::to_string(created_ms);
}

namespace {

bool is_name_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

bool is_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_name_char);
}

}  // namespace

// A scan rather than a regex: linear in the length, with no backtracking to exploit, and the
// length is checked first.
std::optional<ParsedArn> parse_arn(const std::string& arn) {
    if (arn.size() > kMaxArnLength) return std::nullopt;
    constexpr std::string_view kPrefix = "arn:aws:rekognition:";
    if (!std::string_view(arn).starts_with(kPrefix)) return std::nullopt;
    const auto fields = split(std::string_view(arn).substr(kPrefix.size()), ':');  // region, account, resource
    if (fields.size() != 3 || !fields[2].starts_with("project/")) return std::nullopt;
    const auto parts = split(fields[2].substr(8), '/');  // name[/kind/name]/created
    if (parts.size() != 2 && parts.size() != 4) return std::nullopt;
    const std::string_view created = parts.back();
    if (created.empty() || created.size() > 19 || !std::all_of(created.begin(), created.end(), [](char c) {
            return c >= '0' && c <= '9';
        }))
        return std::nullopt;
    ParsedArn p;
    if (!is_name(parts[0])) return std::nullopt;
    p.project = parts[0];
    p.kind = "project";
    if (parts.size() == 4) {
        if ((parts[1] != "dataset" && parts[1] != "version") || !is_name(parts[2])) return std::nullopt;
        p.kind = parts[1];
        p.name = parts[2];
    }
    // 19 digits can exceed int64; such an ARN names nothing Apiary made.
    const auto [end, ec] = std::from_chars(created.data(), created.data() + created.size(), p.created_ms);
    if (ec != std::errc() || end != created.data() + created.size()) return std::nullopt;
    return p;
}

bool is_valid_resource_name(const std::string& name) {
    return name.size() <= 255 && is_name(name) && name != "." && name != "..";
}

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace apiary
