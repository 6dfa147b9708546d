#pragma once
// Resource names in the reference service's shape, e.g.
//   arn:aws:rekognition:us-east-1:000000000000:project/bees/1700000000000
//   arn:aws:rekognition:us-east-1:000000000000:project/bees/dataset/train/1700000000001
//   arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/1700000000002
#include <cstdint>
#include <optional>
#include <string>

namespace apiary {

struct ArnScope {
    std::string region = "us-east-1";
    std::string account = "000000000000";

    // Region and account from APIARY_REGION / APIARY_ACCOUNT where set.
    static ArnScope from_environment();
};

std::string project_arn(const ArnScope& scope, const std::string& project, int64_t created_ms);
std::string dataset_arn(const ArnScope& scope, const std::string& project, const std::string& type, int64_t created_ms);
std::string version_arn(const ArnScope& scope, const std::string& project, const std::string& version,
                        int64_t created_ms);

// The parts of a Rekognition project/dataset/version ARN; nullopt if `arn` is not one.
struct ParsedArn {
    std::string project;
    std::string kind;  // "project", "dataset" or "version"
    std::string name;  // dataset type or version name; empty for projects
    int64_t created_ms = 0;
};
// The reference service's limit on an ARN; longer strings are refused before they are scanned.
inline constexpr size_t kMaxArnLength = 2048;
std::optional<ParsedArn> parse_arn(const std::string& arn);

// Project and version names as the reference service allows them: 1-255 of [a-zA-Z0-9_.-].
bool is_valid_resource_name(const std::string& name);

int64_t now_ms();

}  // namespace apiary
