#include "data/rejected_lines.h"

#include <map>

#include "core/json_parse.h"

namespace apiary::data {

std::vector<std::pair<std::string, std::string>> rejected_lines(std::string_view manifest_text,
                                                                const std::vector<Issue>& issues) {
    std::map<int, Json> errors;
    for (const auto& issue : issues)
        if (!issue.kept && issue.line > 0)
            errors[issue.line].push_back({{"code", issue.code}, {"field", issue.field}, {"message", issue.reason}});
    std::vector<std::pair<std::string, std::string>> out;
    if (errors.empty()) return out;
    std::string_view text(manifest_text);
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    int number = 0;
    for (size_t start = 0; start <= text.size() && !text.empty();) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++number;
        if (const auto it = errors.find(number); it != errors.end()) {
            try {
                Json line = parse_json_limited(text.substr(start, end - start));
                if (line.is_object() && line.contains("source-ref") && line["source-ref"].is_string()) {
                    line["errors"] = it->second;
                    out.emplace_back(line["source-ref"].get<std::string>(), line.dump());
                }
            } catch (const std::exception&) {
                // Not JSON: no source-ref to list it under.
            }
        }
        if (end == text.size()) break;
        start = end + 1;
    }
    return out;
}

}  // namespace apiary::data
