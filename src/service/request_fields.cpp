#include "service/request_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/base64.h"
#include "service/api_error.h"

namespace apiary::service {
namespace {

[[noreturn]] void wrong_type(const std::string& name, const char* expected, const Json& got) {
    const bool vowel = got.is_array() || got.is_object();
    throw rekognition::invalid_parameter(name + " must be " + expected + ", not " + (vowel ? "an " : "a ") +
                                         got.type_name());
}

}  // namespace

Members::Members(const Json& object, std::string path) : object_(&object), path_(std::move(path)) {
    if (object.is_object()) return;
    if (path_.empty()) throw rekognition::invalid_parameter("the request body must be a JSON object");
    wrong_type(path_, "an object", object);
}

std::string Members::name(const char* member) const { return path_.empty() ? member : path_ + "." + member; }

const Json* Members::find(const char* member) const {
    const auto it = object_->find(member);
    return it == object_->end() || it->is_null() ? nullptr : &*it;
}

bool Members::has(const char* member) const { return find(member) != nullptr; }

const std::string& Members::required_string(const char* member) const {
    const Json* j = find(member);
    if (!j) throw rekognition::invalid_parameter(name(member) + " is required");
    if (!j->is_string()) wrong_type(name(member), "a non-empty string", *j);
    const auto& s = j->get_ref<const std::string&>();
    if (s.empty()) throw rekognition::invalid_parameter(name(member) + " must be a non-empty string");
    return s;
}

std::optional<std::string> Members::optional_string(const char* member) const {
    const Json* j = find(member);
    if (!j) return std::nullopt;
    if (!j->is_string()) wrong_type(name(member), "a string", *j);
    return j->get<std::string>();
}

std::optional<bool> Members::optional_bool(const char* member) const {
    const Json* j = find(member);
    if (!j) return std::nullopt;
    if (!j->is_boolean()) wrong_type(name(member), "true or false", *j);
    return j->get<bool>();
}

std::optional<int64_t> Members::optional_integer(const char* member, int64_t min, int64_t max) const {
    const Json* j = find(member);
    if (!j) return std::nullopt;
    const std::string range = " from " + std::to_string(min) + " to " + std::to_string(max);
    if (!j->is_number()) wrong_type(name(member), ("an integer" + range).c_str(), *j);
    // Compared as doubles first: 1e300 or an unsigned beyond int64 must not be converted.
    const double d = j->get<double>();
    const bool whole = j->is_number_integer() || (std::isfinite(d) && std::floor(d) == d);
    if (!whole || d < static_cast<double>(min) || d > static_cast<double>(max))
        throw rekognition::invalid_parameter(name(member) + " must be an integer" + range + ", not " + j->dump());
    const int64_t value = j->is_number_unsigned() ? static_cast<int64_t>(j->get<uint64_t>())
                          : j->is_number_integer() ? j->get<int64_t>()
                                                   : static_cast<int64_t>(d);
    // The double comparison rounds near int64's ends; the exact one settles it.
    if (value < min || value > max)
        throw rekognition::invalid_parameter(name(member) + " must be an integer" + range + ", not " + j->dump());
    return value;
}

std::optional<double> Members::optional_number(const char* member, double min, double max) const {
    const Json* j = find(member);
    if (!j) return std::nullopt;
    if (!j->is_number()) wrong_type(name(member), "a number", *j);
    const double d = j->get<double>();
    if (!(d >= min && d <= max)) {
        char bounds[64];
        std::snprintf(bounds, sizeof bounds, " from %g to %g", min, max);
        throw rekognition::invalid_parameter(name(member) + " must be a number" + bounds + ", not " + j->dump());
    }
    return d;
}

std::vector<std::string> Members::string_list(const char* member) const {
    const Json* j = find(member);
    if (!j) return {};
    if (!j->is_array()) wrong_type(name(member), "a list of strings", *j);
    std::vector<std::string> out;
    for (size_t i = 0; i < j->size(); ++i) {
        const Json& item = (*j)[i];
        if (!item.is_string()) wrong_type(name(member) + "[" + std::to_string(i) + "]", "a string", item);
        out.push_back(item.get<std::string>());
    }
    return out;
}

std::map<std::string, std::string> Members::string_map(const char* member) const {
    const Json* j = find(member);
    if (!j) return {};
    if (!j->is_object()) wrong_type(name(member), "an object of strings", *j);
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : j->items()) {
        if (!value.is_string()) wrong_type(name(member) + "." + key, "a string", value);
        out[key] = value.get<std::string>();
    }
    return out;
}

std::optional<Members> Members::optional_object(const char* member) const {
    const Json* j = find(member);
    if (!j) return std::nullopt;
    return Members(*j, name(member));
}

Members Members::required_object(const char* member) const {
    const Json* j = find(member);
    if (!j) throw rekognition::invalid_parameter(name(member) + " is required");
    return Members(*j, name(member));
}

std::vector<Members> Members::object_list(const char* member) const {
    const Json* j = find(member);
    if (!j) return {};
    if (!j->is_array()) wrong_type(name(member), "a list of objects", *j);
    std::vector<Members> out;
    for (size_t i = 0; i < j->size(); ++i) out.emplace_back((*j)[i], name(member) + "[" + std::to_string(i) + "]");
    return out;
}

const std::string& required_string(const Json& request, const char* member) {
    return Members(request).required_string(member);
}

std::optional<std::string> optional_string(const Json& request, const char* member) {
    return Members(request).optional_string(member);
}

std::optional<double> optional_number(const Json& request, const char* member) {
    return Members(request).optional_number(member, -HUGE_VAL, HUGE_VAL);
}

std::map<std::string, std::string> tags_member(const Members& request, const char* member) {
    const auto tags = request.string_map(member);
    for (const auto& [key, value] : tags) {
        if (key.empty() || key.size() > 128 || key.starts_with("aws:"))
            throw rekognition::invalid_parameter(request.name(member) + ": tag key '" + key.substr(0, 128) +
                                                 "' must be 1-128 characters and not start with aws:");
        if (value.size() > 256)
            throw rekognition::invalid_parameter(request.name(member) + "." + key + " exceeds 256 characters");
    }
    return tags;
}

PageRequest page_request(const Members& request, size_t default_max, size_t limit_max) {
    const auto max = request.optional_integer("MaxResults", 1, static_cast<int64_t>(limit_max));
    PageRequest page{max ? static_cast<size_t>(*max) : default_max};
    // The token is the offset of the next item, encoded so clients treat it as opaque. An empty
    // token asks for the first page, as programs that start their paging loop with "" expect.
    if (const auto token = request.optional_string("NextToken"); token && !token->empty()) {
        const auto decoded = base64_decode(*token);
        const char* end = decoded ? decoded->data() + decoded->size() : nullptr;
        const auto parsed = decoded ? std::from_chars(decoded->data(), end, page.offset) : std::from_chars_result{};
        if (!decoded || decoded->empty() || parsed.ec != std::errc() || parsed.ptr != end)
            throw rekognition::invalid_pagination_token("NextToken is not valid for this request");
    }
    return page;
}

Page page_of(const PageRequest& request, size_t total) {
    if (request.offset > total) throw rekognition::invalid_pagination_token("NextToken is not valid for this request");
    Page page;
    page.begin = request.offset;
    page.end = std::min(total, page.begin + request.max);
    if (page.end < total) page.next_token = base64_encode(std::to_string(page.end));
    return page;
}

Page page_of(const Json& request, size_t total, size_t default_max, size_t limit_max) {
    return page_of(page_request(Members(request), default_max, limit_max), total);
}

}  // namespace apiary::service
