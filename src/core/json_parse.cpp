#include "core/json_parse.h"

namespace apiary {
namespace {

// "[json.exception.parse_error.101] parse error at line 1, ..." → "parse error at line 1, ..."
std::string without_prefix(std::string what) {
    if (const auto close = what.find("] "); what.starts_with("[json.exception.") && close != std::string::npos)
        what.erase(0, close + 2);
    return what;
}

}  // namespace

JsonSyntaxError::JsonSyntaxError(size_t offset, const std::string& reason)
    : Error(offset == kUnknownOffset ? "invalid JSON: " + reason
                                     : "invalid JSON at byte " + std::to_string(offset) + ": " + reason),
      offset_(offset) {}

JsonTooDeep::JsonTooDeep(size_t offset, int max_depth)
    : JsonSyntaxError(offset, "arrays and objects nest deeper than " + std::to_string(max_depth) + " levels") {}

void check_json_depth(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;  // the escaped character cannot end the string, whatever it is
            else if (c == '"')
                in_string = false;
            continue;
        }
        switch (c) {
            case '"': in_string = true; break;
            case '[':
            case '{':
                if (++depth > max_depth) throw JsonTooDeep(i, max_depth);
                break;
            case ']':
            case '}':
                // An unbalanced closer is a syntax error the parser reports; never go below zero,
                // or "]]]][[[[" would buy extra levels.
                if (depth > 0) --depth;
                break;
            default: break;
        }
    }
}

Json parse_json_limited(std::string_view text, int max_depth) {
    check_json_depth(text, max_depth);
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        // nlohmann counts bytes from 1 and points just past the offending one.
        throw JsonSyntaxError(e.byte > 0 ? e.byte - 1 : 0, without_prefix(e.what()));
    } catch (const Json::exception& e) {
        throw JsonSyntaxError(JsonSyntaxError::kUnknownOffset, without_prefix(e.what()));  // "number overflow parsing '1e400'"
    }
}

}  // namespace apiary
