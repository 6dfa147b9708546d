#pragma once
// Small text helpers shared by the text-based formats (VOC xml, YOLO label files, name lists).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apiary::data::detail {

std::string trim(std::string_view s);

// The whole of `text` as a finite number; nullopt for "", "12abc", "nan".
std::optional<double> parse_number(std::string_view text);

// The whole of `text` as a non-negative integer.
std::optional<long> parse_index(std::string_view text);

std::vector<std::string> split_whitespace(std::string_view s);

// Non-empty trimmed lines.
std::vector<std::string> nonblank_lines(std::string_view text);

}  // namespace apiary::data::detail
