#pragma once
#include <nlohmann/json.hpp>

namespace apiary {
// Ordered so that documents we write keep the field order of the reference service's responses.
using Json = nlohmann::ordered_json;
}  // namespace apiary
