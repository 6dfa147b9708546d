#pragma once
// Parsing JSON that comes from outside (request bodies, manifest lines) with a nesting limit.
// nlohmann's parser is iterative, but copying, dumping and comparing a document recurse once per
// level, so a 100,000-deep array parses fine and then overflows the stack of whoever touches it.
// The limit is checked by a linear scan of the text before nlohmann builds anything.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"

namespace apiary {

// Deep enough for every document Apiary reads (a Ground Truth line nests 5 levels, a request 4).
inline constexpr int kMaxJsonDepth = 64;

// Text that is not JSON; `offset` is the byte at which the parser gave up (kUnknownOffset for a
// number too large for a double, which nlohmann reports without a position).
class JsonSyntaxError : public Error {
public:
    static constexpr size_t kUnknownOffset = static_cast<size_t>(-1);
    JsonSyntaxError(size_t offset, const std::string& reason);
    size_t offset() const { return offset_; }

private:
    size_t offset_;
};

// Arrays and objects nested deeper than allowed; `offset` is the bracket that went too deep.
class JsonTooDeep : public JsonSyntaxError {
public:
    JsonTooDeep(size_t offset, int max_depth);
};

// Throws JsonTooDeep at the first '[' or '{' (outside strings) that opens level max_depth + 1.
// Says nothing about the rest of the syntax: a text that passes may still be malformed.
void check_json_depth(std::string_view text, int max_depth = kMaxJsonDepth);

// check_json_depth, then nlohmann's parse; JsonSyntaxError (with nlohmann's byte offset and
// reason, without its "[json.exception...]" prefix) for text that is not one JSON value.
Json parse_json_limited(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace apiary
