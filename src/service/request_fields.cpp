#include "service/request_fields.h"

#include <algorithm>

#include "core/base64.h"
#include "service/api_error.h"

namespace apiary::service {

const std::string& required_string(const Json& request, const char* member) {
    const auto it = request.find(member);
    if (it == request.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        throw rekognition::invalid_parameter(std::string(member) + " is required and must be a non-empty string");
    return it->get_ref<const std::string&>();
}

std::optional<std::string> optional_string(const Json& request, const char* member) {
    const auto it = request.find(member);
    if (it == request.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw rekognition::invalid_parameter(std::string(member) + " must be a string");
    return it->get<std::string>();
}

std::optional<double> optional_number(const Json& request, const char* member) {
    const auto it = request.find(member);
    if (it == request.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) throw rekognition::invalid_parameter(std::string(member) + " must be a number");
    return it->get<double>();
}

Page page_of(const Json& request, size_t total, size_t default_max, size_t limit_max) {
    size_t max = default_max;
    if (const auto m = optional_number(request, "MaxResults")) {
        if (*m < 1 || *m > static_cast<double>(limit_max))
            throw rekognition::invalid_parameter("MaxResults must be between 1 and " + std::to_string(limit_max));
        max = static_cast<size_t>(*m);
    }
    Page page;
    // The token is the offset of the next item, encoded so clients treat it as opaque.
    if (const auto token = optional_string(request, "NextToken")) {
        const auto decoded = base64_decode(*token);
        size_t offset = 0;
        try {
            offset = decoded ? std::stoul(*decoded) : total + 1;
        } catch (const std::exception&) {
            offset = total + 1;
        }
        if (offset > total) throw rekognition::invalid_parameter("NextToken is not valid for this request");
        page.begin = offset;
    }
    page.end = std::min(total, page.begin + max);
    if (page.end < total) page.next_token = base64_encode(std::to_string(page.end));
    return page;
}

}  // namespace apiary::service
