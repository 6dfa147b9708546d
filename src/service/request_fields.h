#pragma once
// Reading request members of the AWS JSON protocol with errors the client can act on
// (InvalidParameterException naming the member), and NextToken/MaxResults paging.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.h"

namespace apiary::service {

const std::string& required_string(const Json& request, const char* member);
std::optional<std::string> optional_string(const Json& request, const char* member);
std::optional<double> optional_number(const Json& request, const char* member);

// One page of a list of `total` items: [begin, end) and the token for the next page.
struct Page {
    size_t begin = 0;
    size_t end = 0;
    std::optional<std::string> next_token;
};
Page page_of(const Json& request, size_t total, size_t default_max, size_t limit_max);

// Timestamps as the JSON protocol sends them: seconds since the epoch.
inline double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace apiary::service
