#pragma once
// UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing above U+10FFFF): one
// decoder for S3 object keys, which must be valid, and for issue texts, which quote the user's
// bytes and must become valid before they reach a JSON report.
#include <string>
#include <string_view>

namespace apiary {

bool is_valid_utf8(std::string_view text);
// `text` with every invalid sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace apiary
