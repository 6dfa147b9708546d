#pragma once
// ASCII-only text helpers for protocol tokens (header names, hex digests, codes): locale-free
// and defined for every byte, unlike ::tolower on a plain char.
#include <string>
#include <string_view>
#include <vector>

namespace apiary {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string ascii_lowercase(std::string_view text);
std::string ascii_uppercase(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);

// 0-15 for a hex digit of either case, -1 for any other byte.
int hex_value(char c);
// %XX decoding as URIs carry it. A '%' not followed by two hex digits stays a literal '%' (as
// AWS's SigV4 test suite expects), and '+' stays '+': AWS clients send a space as %20.
std::string percent_decode(std::string_view text);

// Text made safe inside XML or HTML, as element content or a quoted attribute: & < > " ' escaped,
// control characters XML cannot carry written as numeric references.
std::string escape_markup(std::string_view text);

// The pieces of `text` between the separators, empty ones kept: n separators give n + 1 pieces
// ("" gives one empty piece). Views into `text`.
std::vector<std::string_view> split(std::string_view text, char separator);

}  // namespace apiary
