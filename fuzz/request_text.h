#pragma once
// The textual request form the SigV4 fuzzer and its seed generator share: an HTTP/1.1 head
// without the version, then the body.
//
//   METHOD /raw/path?raw-query
//   Name: value
//   ...
//   <blank line>
//   body
//
// Header values are trimmed of surrounding blanks, as an HTTP parser hands them over; nothing
// else is decoded, because SigV4 signs the bytes as sent.
#include <string>
#include <string_view>

#include "core/hash.h"
#include "service/sigv4.h"

namespace apiary::fuzz {

inline std::string_view trim_blanks(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

inline service::HttpRequestView parse_request_text(std::string_view text) {
    service::HttpRequestView r;
    auto next_line = [&text] {
        const size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    const std::string_view start = next_line();
    const size_t space = start.find(' ');
    r.method = std::string(start.substr(0, space));
    const std::string_view target = space == std::string_view::npos ? std::string_view{} : start.substr(space + 1);
    const size_t q = target.find('?');
    r.raw_path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) r.raw_query = std::string(target.substr(q + 1));
    while (!text.empty()) {
        const std::string_view line = next_line();
        if (line.empty()) break;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // an HTTP parser refuses it; nothing to verify
        r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(trim_blanks(line.substr(colon + 1))));
    }
    r.payload_sha256_hex = sha256_hex(text);
    return r;
}

inline std::string request_text(const service::HttpRequestView& r, std::string_view body) {
    std::string out = r.method + " " + r.raw_path + (r.raw_query.empty() ? "" : "?" + r.raw_query) + "\n";
    for (const auto& [name, value] : r.headers) out += name + ": " + value + "\n";
    return out + "\n" + std::string(body);
}

}  // namespace apiary::fuzz
