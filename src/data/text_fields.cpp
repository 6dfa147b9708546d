#include "data/text_fields.h"

#include <charconv>
#include <cmath>

namespace apiary::data::detail {
namespace {
constexpr std::string_view kSpace = " \t\r\n\f\v";
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(kSpace);
    if (b == std::string_view::npos) return "";
    return std::string(s.substr(b, s.find_last_not_of(kSpace) - b + 1));
}

std::optional<double> parse_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long> parse_index(std::string_view text) {
    long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

std::vector<std::string> split_whitespace(std::string_view s) {
    std::vector<std::string> out;
    size_t i = 0;
    while (true) {
        i = s.find_first_not_of(kSpace, i);
        if (i == std::string_view::npos) break;
        const auto j = s.find_first_of(kSpace, i);
        out.emplace_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
        if (j == std::string_view::npos) break;
        i = j;
    }
    return out;
}

std::vector<std::string> nonblank_lines(std::string_view text) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i <= text.size()) {
        const auto nl = text.find('\n', i);
        std::string line = trim(text.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i));
        if (!line.empty()) out.push_back(std::move(line));
        if (nl == std::string_view::npos) break;
        i = nl + 1;
    }
    return out;
}

}  // namespace apiary::data::detail
