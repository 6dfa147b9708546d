#pragma once
// HTTP requests and responses as the operations see them, independent of the transport (the
// Beast front end fills them in; unit tests build them by hand). Like radosgw's client-I/O
// split: the front end owns sockets, limits and timeouts; the operations own meaning.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "service/sigv4.h"

namespace apiary::service {

struct HttpRequest {
    std::string method;     // "GET", "PUT", ...
    std::string raw_path;   // as sent, still percent-encoded, without the query
    std::string raw_query;  // as sent, without '?'
    std::string path;       // percent-decoded raw_path
    std::vector<std::pair<std::string, std::string>> params;  // decoded query, in order
    HeaderList headers;     // as received
    std::string remote_address;
    bool tls = false;

    // Builds method/raw_path/raw_query/path/params from a request target ("/b/k?x=1").
    static HttpRequest from_target(std::string method, std::string_view target);

    // Case-insensitive; "" when absent (repeated headers: the first).
    std::string header(std::string_view name) const;
    bool has_header(std::string_view name) const;
    bool has_param(std::string_view name) const;
    std::string param(std::string_view name) const;  // "" when absent

    // What SigV4 verification needs, with the body's digest as the caller knows it.
    HttpRequestView sigv4_view(std::string payload_sha256_hex) const;
};

// A request body the front end streamed to disk, with the digests it computed on the way.
struct StagedBody {
    std::filesystem::path path;
    int64_t size = 0;
    std::string md5_hex;
    std::string sha256_hex;
};

// A request body as received: in memory (small bodies) or staged on disk (object uploads).
struct ReceivedBody {
    std::string text;
    std::optional<StagedBody> staged;
};

// A response body too large to hold in memory: `length` bytes pulled in pieces from `read`,
// which fills up to `max` bytes and returns how many (0 only at the end or on failure).
struct StreamedBody {
    int64_t length = 0;
    std::function<size_t(char* buffer, size_t max)> read;
};

// An entity tag as HTTP writes it: the digest in double quotes.
std::string quoted_etag(std::string_view digest);

struct HttpResponse {
    int status = 200;
    HeaderList headers;
    std::string body;                     // used when `stream` is empty
    std::optional<StreamedBody> stream;
    // HEAD: headers as for GET (Content-Length of the body a GET would send), no body.
    std::optional<int64_t> head_content_length;
    bool close_connection = false;

    void set_header(std::string name, std::string value);
    std::string header(std::string_view name) const;  // case-insensitive, "" when absent
    void set_content(std::string content, std::string content_type);
};

}  // namespace apiary::service
