#include "core/error.h"

namespace apiary {

std::string Location::str() const {
    std::string out = file;
    if (line > 0) out += (out.empty() ? "line " : ":") + std::to_string(line);
    if (!field.empty()) out += (out.empty() ? "field " : " (field ") + field + (out.empty() ? "" : ")");
    return out;
}

Error::Error(const std::string& message) : std::runtime_error(message), reason_(message) {}

Error::Error(Location where, const std::string& reason)
    : std::runtime_error(where.str().empty() ? reason : where.str() + ": " + reason),
      where_(std::move(where)),
      reason_(reason) {}

ErrorKind error_kind(const std::exception& e) {
    if (dynamic_cast<const NotFound*>(&e)) return ErrorKind::not_found;
    if (dynamic_cast<const Conflict*>(&e)) return ErrorKind::conflict;
    if (dynamic_cast<const IoError*>(&e)) return ErrorKind::io;
    if (dynamic_cast<const InternalError*>(&e)) return ErrorKind::internal;
    if (dynamic_cast<const Error*>(&e)) return ErrorKind::input;
    return ErrorKind::internal;
}

}  // namespace apiary
