#pragma once
// Reading request members of the AWS JSON protocol with errors the client can act on
// (InvalidParameterException naming the member and what it should be), and NextToken/MaxResults
// paging. Every member a handler reads goes through these readers, so a wrongly typed or
// out-of-range value is a 400, never a nlohmann type_error escaping as a 500.
//
// The reference service answers schema violations with its own exceptions; Apiary uses
// InvalidParameterException for all of them, as it does for every other bad parameter.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace apiary::service {

// One JSON object of a request: the body, or a member that must be an object. `path` names it
// in errors ("Image.S3Object"); members are named "<path>.<member>", list items "<member>[i]".
// A member that is absent or null counts as not given.
class Members {
public:
    explicit Members(const Json& object, std::string path = {});

    bool has(const char* member) const;
    std::string name(const char* member) const;

    const std::string& required_string(const char* member) const;  // non-empty
    std::optional<std::string> optional_string(const char* member) const;
    std::optional<bool> optional_bool(const char* member) const;
    // A whole number in [min, max]; 10.0 counts as 10, 10.5 and 1e300 do not.
    std::optional<int64_t> optional_integer(const char* member, int64_t min, int64_t max) const;
    // A number in [min, max].
    std::optional<double> optional_number(const char* member, double min, double max) const;
    std::vector<std::string> string_list(const char* member) const;          // absent: empty
    std::map<std::string, std::string> string_map(const char* member) const;  // absent: empty
    std::optional<Members> optional_object(const char* member) const;
    Members required_object(const char* member) const;
    std::vector<Members> object_list(const char* member) const;  // absent: empty

private:
    const Json* find(const char* member) const;  // nullptr when absent or null

    const Json* object_;
    std::string path_;
};

// The top-level forms the handlers have always used; each reads a member of `request`.
const std::string& required_string(const Json& request, const char* member);
std::optional<std::string> optional_string(const Json& request, const char* member);
std::optional<double> optional_number(const Json& request, const char* member);

// A Tags member as the reference service allows it: keys of 1-128 characters not starting with
// "aws:", string values of at most 256.
std::map<std::string, std::string> tags_member(const Members& request, const char* member);

// MaxResults and NextToken of a List/Describe request, read before anything is looked up so a
// bad value is reported as such whatever else is wrong with the request.
struct PageRequest {
    size_t max;                   // MaxResults, or the operation's default
    size_t offset = 0;            // where NextToken says the page starts
};
// MaxResults must be an integer from 1 to limit_max; NextToken one this service handed out.
PageRequest page_request(const Members& request, size_t default_max, size_t limit_max);

// One page of a list of `total` items: [begin, end) and the token for the next page.
struct Page {
    size_t begin = 0;
    size_t end = 0;
    std::optional<std::string> next_token;
};
Page page_of(const PageRequest& request, size_t total);  // InvalidParameter if NextToken is past the end
Page page_of(const Json& request, size_t total, size_t default_max, size_t limit_max);

// Timestamps as the JSON protocol sends them: seconds since the epoch.
inline double epoch_seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

}  // namespace apiary::service
