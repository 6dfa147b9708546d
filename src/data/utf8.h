#pragma once
// Issue texts quote the user's bytes (parser messages, file names); JSON output needs them to be
// valid UTF-8, so invalid sequences are replaced before they reach a report.
#include <string>
#include <string_view>

namespace apiary::data::detail {

// `s` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace apiary::data::detail
