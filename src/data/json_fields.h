#pragma once
// Typed reads of JSON fields for the JSON formats (Ground Truth, COCO). A missing or mistyped
// field rejects the record with an issue naming the field, instead of throwing.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "data/record.h"

namespace apiary::data::detail {

// "string \"abc\"", "array [1,2]" ... for messages; long values are shortened.
std::string describe_json(const nlohmann::json& value);

// obj[key] as a finite number; `field` names it in issues.
std::optional<double> number_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                   Record& rec);
// obj[key] as an integral number.
std::optional<int64_t> integer_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                     Record& rec);
std::optional<int64_t> as_integer(const nlohmann::json& value, const std::string& field, Record& rec);
// obj[key] as a non-empty string.
std::optional<std::string> string_field(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                        Record& rec);

}  // namespace apiary::data::detail
