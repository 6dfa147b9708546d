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

// Raised when the machine, not the request, failed: a write, fsync or rename refused (disk full,
// I/O error, permissions of the data directory), or a database that cannot be read or written.
// A server answers it 500 InternalError: the client did nothing wrong and may retry.
class IoError : public Error {
public:
    using Error::Error;
};

// Raised for a broken invariant of Apiary itself (a bad SQL statement, an impossible state).
// Also 500 to a client; the message is for the operator's log.
class InternalError : public Error {
public:
    using Error::Error;
};

// Who is at fault, for a front end choosing a status: the request (input: 400, not_found: 404,
// conflict: 409) or the server (io, internal: 500). A plain Error is input; an exception that
// is not an apiary::Error at all is internal.
enum class ErrorKind { input, not_found, conflict, io, internal };
ErrorKind error_kind(const std::exception& e);

}  // namespace apiary
