#include "service/http_message.h"

#include "core/text.h"

namespace apiary::service {

namespace {

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) return &v;
    return nullptr;
}

}  // namespace

HttpRequest HttpRequest::from_target(std::string method, std::string_view target) {
    HttpRequest r;
    r.method = std::move(method);
    const auto q = target.find('?');
    r.raw_path = std::string(target.substr(0, q));
    r.raw_query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
    r.path = percent_decode(r.raw_path);
    std::string_view rest = r.raw_query;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view piece = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (piece.empty()) continue;
        const auto eq = piece.find('=');
        r.params.emplace_back(percent_decode(piece.substr(0, eq)),
                              eq == std::string_view::npos ? "" : percent_decode(piece.substr(eq + 1)));
    }
    return r;
}

std::string HttpRequest::header(std::string_view name) const {
    const auto* v = find_header(headers, name);
    return v ? *v : std::string{};
}

bool HttpRequest::has_header(std::string_view name) const { return find_header(headers, name) != nullptr; }

bool HttpRequest::has_param(std::string_view name) const {
    for (const auto& [n, v] : params)
        if (n == name) return true;
    return false;
}

std::string HttpRequest::param(std::string_view name) const {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return {};
}

HttpRequestView HttpRequest::sigv4_view(std::string payload_sha256_hex) const {
    HttpRequestView v;
    v.method = method;
    v.raw_path = raw_path;
    v.raw_query = raw_query;
    v.headers = headers;
    v.payload_sha256_hex = std::move(payload_sha256_hex);
    return v;
}

std::string quoted_etag(std::string_view digest) {
    std::string etag;
    etag.reserve(digest.size() + 2);
    etag.push_back('"');
    etag.append(digest);
    etag.push_back('"');
    return etag;
}

void HttpResponse::set_header(std::string name, std::string value) {
    for (auto& [n, v] : headers)
        if (iequals(n, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string HttpResponse::header(std::string_view name) const {
    const auto* v = find_header(headers, name);
    return v ? *v : std::string{};
}

void HttpResponse::set_content(std::string content, std::string content_type) {
    body = std::move(content);
    stream.reset();
    set_header("Content-Type", std::move(content_type));
}

}  // namespace apiary::service
