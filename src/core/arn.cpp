#include "core/arn.h"

#include <chrono>
#include <cstdlib>
#include <regex>

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

std::optional<ParsedArn> parse_arn(const std::string& arn) {
    static const std::regex re(
        R"(^arn:aws:rekognition:[^:]*:[^:]*:project/([A-Za-z0-9_.\-]+)(?:/(dataset|version)/([A-Za-z0-9_.\-]+))?/([0-9]{1,19})$)");
    std::smatch m;
    if (!std::regex_match(arn, m, re)) return std::nullopt;
    ParsedArn p;
    p.project = m[1];
    p.kind = m[2].matched ? std::string(m[2]) : "project";
    p.name = m[3].matched ? std::string(m[3]) : "";
    p.created_ms = std::stoll(m[4]);
    return p;
}

bool is_valid_resource_name(const std::string& name) {
    static const std::regex re(R"(^[A-Za-z0-9_.\-]{1,255}$)");
    return std::regex_match(name, re) && name != "." && name != "..";
}

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace apiary
