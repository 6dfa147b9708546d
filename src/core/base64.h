#pragma once
// Base64 (RFC 4648, standard alphabet): TF.js model.json string attributes, and blobs in the
// AWS JSON protocol (DetectCustomLabels' Image.Bytes, UpdateDatasetEntries' GroundTruth).
#include <optional>
#include <string>
#include <string_view>

namespace apiary {

// The decoded bytes, or nullopt if `text` is not valid base64. Trailing '=' padding is
// optional; whitespace is not accepted.
std::optional<std::string> base64_decode(std::string_view text);

// With '=' padding.
std::string base64_encode(std::string_view bytes);

}  // namespace apiary
