#include "data/json_fields.h"

#include <cmath>

namespace apiary::data::detail {
namespace {

constexpr size_t kMaxShown = 40;

const nlohmann::json* member(const nlohmann::json& obj, const std::string& key, const std::string& field, Record& rec) {
    if (!obj.is_object()) {
        rec.reject(field, "invalid-field", "expected an object holding '" + key + "', got " + describe_json(obj));
        return nullptr;
    }
    const auto it = obj.find(key);
    if (it == obj.end()) {
        rec.reject(field, "missing-field", "required field '" + key + "' is missing");
        return nullptr;
    }
    return &*it;
}

}  // namespace

std::string describe_json(const nlohmann::json& value) {
    std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
    return std::string(value.type_name()) + " " + text;
}

std::optional<double> number_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                   Record& rec) {
    const auto* v = member(obj, key, field, rec);
    if (!v) return std::nullopt;
    if (!v->is_number()) {
        rec.reject(field, "invalid-field", "expected a number, got " + describe_json(*v));
        return std::nullopt;
    }
    const double d = v->get<double>();
    if (!std::isfinite(d)) {
        rec.reject(field, "invalid-field", "number out of range");
        return std::nullopt;
    }
    return d;
}

std::optional<int64_t> as_integer(const nlohmann::json& value, const std::string& field, Record& rec) {
    if (value.is_number_integer()) {
        if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
            rec.reject(field, "invalid-field", "integer out of range");
            return std::nullopt;
        }
        return value.get<int64_t>();
    }
    if (value.is_number_float()) {
        const double d = value.get<double>();
        // Some writers emit ids as 0.0; accept those, not 0.5.
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<int64_t>(d);
    }
    rec.reject(field, "invalid-field", "expected an integer, got " + describe_json(value));
    return std::nullopt;
}

std::optional<int64_t> integer_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                     Record& rec) {
    const auto* v = member(obj, key, field, rec);
    return v ? as_integer(*v, field, rec) : std::nullopt;
}

std::optional<std::string> string_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                        Record& rec) {
    const auto* v = member(obj, key, field, rec);
    if (!v) return std::nullopt;
    if (!v->is_string() || v->get_ref<const std::string&>().empty()) {
        rec.reject(field, "invalid-field", "expected a non-empty string, got " + describe_json(*v));
        return std::nullopt;
    }
    return v->get<std::string>();
}

}  // namespace apiary::data::detail
