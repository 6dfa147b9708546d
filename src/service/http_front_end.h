#pragma once
// The HTTP/1.1 front end of `apiary serve` on Boost.Beast and Asio: sockets, TLS, limits and
// timeouts, nothing about S3 or Rekognition. Every request is handed to a RequestHandler in
// two steps: plan() sees only the header and decides whether and how the body may be read
// (before a byte of it is), handle() sees the request with its body and fills the response.
// Slow or idle clients cost a socket, never a thread: reads and writes are asynchronous on a
// few I/O threads, and handlers run on their own pool.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "service/http_message.h"

namespace apiary::service {

struct FrontEndLimits {
    size_t header_bytes = 16 * 1024;   // request line and header fields together
    size_t header_fields = 100;
    double header_timeout_s = 10;      // the whole header block, from its first byte (or the accept)
    double idle_timeout_s = 15;        // a kept-alive connection waiting for its next request
    double body_grace_s = 10;          // bodies must then average at least min_body_rate
    int64_t min_body_rate = 16 * 1024; // bytes per second
    double io_timeout_s = 60;          // the longest one read or write of a body may wait
    int max_connections = 1024;        // open at once; beyond: 503 SlowDown
    int max_connections_per_client = 256;
    double shutdown_grace_s = 30;      // stop() lets requests in flight finish this long
};

struct FrontEndOptions {
    std::string host = "127.0.0.1";
    int port = 8080;          // 0: any free port
    int handler_threads = 32; // requests worked on at once
    int io_threads = 2;
    FrontEndLimits limits;
    std::filesystem::path tls_cert, tls_key;  // both set: HTTPS only
};

// How a request's body is to be received, decided from its header alone.
struct BodyPlan {
    enum class Kind { None, Memory, File };
    Kind kind = Kind::None;
    int64_t limit = 0;                 // bytes; a longer body (chunked too) is refused
    std::filesystem::path staging_file;  // Kind::File: created exclusively, removed if unused
};

// Faults the transport finds itself; the handler words the response.
enum class TransportFault {
    MalformedRequest,  // unparsable request line or header
    HeaderTooLarge,    // over header_bytes or header_fields
    BodyTooLarge,      // over the plan's limit
    UnexpectedBody,    // a body where the plan allows none
    Overloaded,        // over a connection cap
    Internal,
};

class RequestHandler {
public:
    virtual ~RequestHandler() = default;
    // nullopt refuses the request with `refusal`, and its body is never read.
    virtual std::optional<BodyPlan> plan(const HttpRequest& head, HttpResponse& refusal) = 0;
    virtual void handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) = 0;
    // `head` is the request's header when it was read, else null.
    virtual HttpResponse fault_response(TransportFault fault, const HttpRequest* head, const std::string& detail) = 0;
};

class HttpFrontEnd {
public:
    HttpFrontEnd(const FrontEndOptions& options, RequestHandler& handler);
    ~HttpFrontEnd();
    HttpFrontEnd(const HttpFrontEnd&) = delete;
    HttpFrontEnd& operator=(const HttpFrontEnd&) = delete;

    // Binds the listening socket (throws Error when it cannot) and returns the port.
    int bind();
    // Serves until stop(); call after bind().
    void run();
    // Thread-safe: stops accepting, closes idle connections, lets requests in flight finish
    // (up to shutdown_grace_s), then run() returns.
    void stop();

    int port() const;
    int open_connections() const;

    struct Impl;  // public only so that the connection sessions in the .cpp can name it

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace apiary::service
