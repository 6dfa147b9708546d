#pragma once
// Errors that carry where they happened (file, line, field), so every message a user sees
// names the input it is about.
#include <stdexcept>
#include <string>

namespace apiary {

// Where in the user's input a problem was found. Empty parts are left out of str().
struct Location {
    Location() = default;
    Location(std::string file_, int line_ = 0, std::string field_ = {})
        : file(std::move(file_)), line(line_), field(std::move(field_)) {}

    std::string file;
    int line = 0;        // 1-based; 0 = not line oriented
    std::string field;   // JSON path or XML element, e.g. "annotations[2].width"

    std::string str() const;  // "output.manifest:12 (field annotations[0].left)"
};

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message);
    Error(Location where, const std::string& reason);

    const Location& where() const { return where_; }
    const std::string& reason() const { return reason_; }

private:
    Location where_;
    std::string reason_;
};

// Raised for a resource (project, dataset, model version) that does not exist.
class NotFound : public Error {
public:
    using Error::Error;
};

// Raised when an operation conflicts with existing state (name taken, resource in use).
class Conflict : public Error {
public:
    using Error::Error;
};

}  // namespace apiary
