#pragma once
// Base64 decoding (RFC 4648, standard alphabet). TF.js model.json stores every string
// attribute of a graph node ("padding", "data_format", "fused_ops" ...) base64 encoded.
#include <optional>
#include <string>
#include <string_view>

namespace apiary::nn {

// The decoded bytes, or nullopt if `text` is not valid base64. Trailing '=' padding is
// optional; whitespace is not accepted.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace apiary::nn
