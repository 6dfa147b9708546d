#include "service/s3_api.h"

#include <fstream>

#include "core/hash.h"
#include "core/text.h"
#include "service/s3_errors.h"
#include "service/s3_xml.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(S3Error error, const std::string& message) { throw s3_error(error, message); }

store::UserMetadata user_metadata_of(const HttpRequest& req) {
    store::UserMetadata meta;
    for (const auto& [name, value] : req.headers) {
        const std::string lower = ascii_lowercase(name);
        if (lower.starts_with("x-amz-meta-")) meta[lower.substr(11)] = value;
    }
    return meta;
}

std::string content_type_of(const HttpRequest& req) {
    const std::string t = req.header("Content-Type");
    return t.empty() ? "binary/octet-stream" : t;
}

void set_object_headers(HttpResponse& res, const store::ObjectInfo& info) {
    res.set_header("ETag", quoted_etag(info.etag));
    res.set_header("Last-Modified", s3xml::http_date(info.modified_ms));
    res.set_header("Accept-Ranges", "bytes");
    for (const auto& [k, v] : info.user_metadata) res.set_header("x-amz-meta-" + k, v);
}

void send_xml(HttpResponse& res, const std::string& xml, int status = 200) {
    res.status = status;
    res.set_content(xml, "application/xml");
}

// "bytes=a-b", "bytes=a-", "bytes=-n" → [first, last]; nullopt when it cannot be satisfied.
std::optional<std::pair<int64_t, int64_t>> parse_range(const std::string& header, int64_t size) {
    if (!header.starts_with("bytes=") || header.find(',') != std::string::npos) return std::nullopt;
    const std::string spec = header.substr(6);
    const auto dash = spec.find('-');
    if (dash == std::string::npos) return std::nullopt;
    const std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
    auto number = [](const std::string& s) -> std::optional<int64_t> {
        if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        return std::stoll(s);
    };
    if (a.empty()) {  // suffix: the last n bytes
        const auto n = number(b);
        if (!n || *n == 0 || size == 0) return std::nullopt;
        return std::pair{std::max<int64_t>(0, size - *n), size - 1};
    }
    const auto first = number(a);
    if (!first || *first >= size) return std::nullopt;
    if (b.empty()) return std::pair{*first, size - 1};
    const auto last = number(b);
    if (!last || *last < *first) return std::nullopt;
    return std::pair{*first, std::min(*last, size - 1)};
}

// x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded, maybe "?versionId=...".
std::pair<std::string, std::string> parse_copy_source(std::string source) {
    if (const auto q = source.find('?'); q != std::string::npos) source.resize(q);
    auto parts = split_s3_path(percent_decode(source));
    if (parts.first.empty() || parts.second.empty())
        fail(S3Error::InvalidArgument, "x-amz-copy-source must name a bucket and a key");
    return parts;
}

}  // namespace

std::pair<std::string, std::string> split_s3_path(const std::string& path) {
    const std::string p = path.starts_with("/") ? path.substr(1) : path;
    const auto slash = p.find('/');
    if (slash == std::string::npos) return {p, ""};
    return {p.substr(0, slash), p.substr(slash + 1)};
}

S3Api::S3Api(store::ObjectStore& objects, std::string region) : objects_(objects), region_(std::move(region)) {}

void S3Api::write_error(HttpResponse& res, int status, const std::string& code, const std::string& message,
                        const std::string& resource) {
    res.status = status;
    res.set_content(s3xml::error(code, message, resource), "application/xml");
    res.stream.reset();
}

void S3Api::handle(const HttpRequest& req, HttpResponse& res, const StagedBody* staged,
                   const std::string& body) {
    const auto [bucket, key] = split_s3_path(req.path);
    try {
        dispatch(req, res, bucket, key, staged, body);
    } catch (const store::ObjectStoreError& e) {
        const ApiError error = s3_error(e.code(), e.what());
        write_error(res, error.status(), error.code(), error.what(), req.path);
    }
    // A HEAD response has no body to carry an error document.
    if (req.method == "HEAD" && res.status >= 400) {
        res.body.clear();
        res.head_content_length = 0;
    }
}

void S3Api::dispatch(const HttpRequest& req, HttpResponse& res, const std::string& bucket,
                     const std::string& key, const StagedBody* staged, const std::string& body) {
    const std::string& m = req.method;
    if (bucket.empty()) {
        if (m == "GET") return send_xml(res, s3xml::list_buckets(objects_.list_buckets()));
        fail(S3Error::MethodNotAllowed, "only GET is allowed on the service root");
    }
    for (const char* unsupported : {"acl", "policy", "versioning", "tagging", "lifecycle", "cors", "website", "versions"})
        if (req.has_param(unsupported)) fail(S3Error::NotImplemented, std::string("the ?") + unsupported + " subresource is not supported");

    if (key.empty()) {  // bucket operations
        if (m == "PUT") {
            objects_.create_bucket(bucket);
            res.set_header("Location", "/" + bucket);
            return;
        }
        if (m == "DELETE") {
            objects_.delete_bucket(bucket);
            res.status = 204;
            return;
        }
        if (m == "HEAD") {
            if (!objects_.bucket_exists(bucket)) fail(S3Error::NoSuchBucket, "no bucket named " + bucket);
            res.set_header("x-amz-bucket-region", region_);
            return;
        }
        if (m == "POST" && req.has_param("delete")) return delete_objects(res, bucket, body);
        if (m == "GET" && req.has_param("location")) {
            if (!objects_.bucket_exists(bucket)) fail(S3Error::NoSuchBucket, "no bucket named " + bucket);
            return send_xml(res, s3xml::location(region_ == "us-east-1" ? "" : region_));
        }
        if (m == "GET" && req.has_param("uploads")) fail(S3Error::NotImplemented, "listing multipart uploads is not supported");
        if (m == "GET") return list_objects(req, res, bucket);
        fail(S3Error::MethodNotAllowed, m + " is not allowed on a bucket");
    }

    // Object operations
    if (req.has_param("uploadId")) {
        const std::string upload = req.param("uploadId");
        if (m == "PUT") {
            const std::string n = req.param("partNumber");
            if (n.empty() || n.size() > 5 || n.find_first_not_of("0123456789") != std::string::npos)
                fail(S3Error::InvalidArgument, "partNumber must be a number between 1 and 10000");
            if (!req.header("x-amz-copy-source").empty()) fail(S3Error::NotImplemented, "UploadPartCopy is not supported");
            const std::string etag = objects_.upload_part(bucket, key, upload, std::stoi(n), staged->path);
            res.set_header("ETag", quoted_etag(etag));
            return;
        }
        if (m == "POST") {
            const auto info = objects_.complete_multipart_upload(bucket, key, upload, s3xml::parse_complete_multipart(body),
                                                                 on_created_);
            return send_xml(res, s3xml::complete_multipart("/" + bucket + "/" + key, info));
        }
        if (m == "DELETE") {
            objects_.abort_multipart_upload(bucket, key, upload);
            res.status = 204;
            return;
        }
        if (m == "GET") return send_xml(res, s3xml::list_parts(bucket, key, upload, objects_.list_parts(bucket, key, upload)));
    }
    if (m == "POST" && req.has_param("uploads")) {
        const std::string id = objects_.create_multipart_upload(bucket, key, content_type_of(req), user_metadata_of(req));
        return send_xml(res, s3xml::initiate_multipart(bucket, key, id));
    }
    if (m == "PUT" && !req.header("x-amz-copy-source").empty()) return copy_object(req, res, bucket, key);
    if (m == "PUT") return put_object(req, res, bucket, key, *staged);
    if (m == "GET" || m == "HEAD") return get_object(req, res, bucket, key);
    if (m == "DELETE") {
        objects_.delete_object(bucket, key);
        res.status = 204;
        return;
    }
    fail(S3Error::MethodNotAllowed, m + " is not allowed on an object");
}

void S3Api::list_objects(const HttpRequest& req, HttpResponse& res, const std::string& bucket) {
    s3xml::ListEcho echo;
    echo.bucket = bucket;
    echo.v2 = req.param("list-type") == "2";
    echo.prefix = req.param("prefix");
    echo.delimiter = req.param("delimiter");
    echo.url_encode = req.param("encoding-type") == "url";
    if (req.has_param("max-keys")) {
        const std::string v = req.param("max-keys");
        if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
            fail(S3Error::InvalidArgument, "max-keys must be a non-negative number");
        echo.max_keys = std::min(1000, std::stoi(v));
    }
    store::ListQuery q{echo.prefix, echo.delimiter, "", "", echo.max_keys};
    if (echo.v2) {
        echo.start_after = q.start_after = req.param("start-after");
        echo.continuation_token = q.continuation_token = req.param("continuation-token");
    } else {
        echo.marker = q.start_after = req.param("marker");
    }
    send_xml(res, s3xml::list_objects(echo, objects_.list_objects(bucket, q)));
}

void S3Api::get_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket,
                       const std::string& key) {
    // Opened under the store's lock: a concurrent overwrite or delete cannot pull the bytes away.
    auto opened = std::make_shared<store::OpenedObject>(objects_.open_object(bucket, key));
    const store::ObjectInfo& info = opened->info;
    set_object_headers(res, info);
    res.set_header("Content-Type", info.content_type);
    int64_t first = 0, length = info.size;
    if (req.has_header("Range")) {
        const auto range = parse_range(req.header("Range"), info.size);
        if (!range) {
            res.set_header("Content-Range", "bytes */" + std::to_string(info.size));
            fail(S3Error::InvalidRange, "The requested range is not satisfiable");
        }
        first = range->first;
        length = range->second - range->first + 1;
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(range->first) + "-" + std::to_string(range->second) + "/" +
                                            std::to_string(info.size));
    }
    if (req.method == "HEAD") {
        res.head_content_length = length;
        return;
    }
    std::istream& bytes = *opened->bytes;
    bytes.clear();
    bytes.seekg(static_cast<std::streamoff>(first));
    res.stream = StreamedBody{length, [opened](char* buffer, size_t max) -> size_t {
                                  opened->bytes->read(buffer, static_cast<std::streamsize>(max));
                                  const auto got = opened->bytes->gcount();
                                  return got > 0 ? static_cast<size_t>(got) : 0;
                              }};
}

void S3Api::put_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket,
                       const std::string& key, const StagedBody& staged) {
    const auto info = objects_.put_object(bucket, key, staged.path, content_type_of(req), user_metadata_of(req), on_created_);
    res.set_header("ETag", quoted_etag(info.etag));
}

void S3Api::copy_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket,
                        const std::string& key) {
    const auto [src_bucket, src_key] = parse_copy_source(req.header("x-amz-copy-source"));
    std::optional<store::ObjectAttributes> replace;
    if (req.header("x-amz-metadata-directive") == "REPLACE")
        replace = store::ObjectAttributes{content_type_of(req), user_metadata_of(req)};
    const auto info = objects_.copy_object(src_bucket, src_key, bucket, key, replace, on_created_);
    send_xml(res, s3xml::copy_object_result(info));
}

void S3Api::delete_objects(HttpResponse& res, const std::string& bucket, const std::string& body) {
    const auto request = s3xml::parse_delete_objects(body);
    std::vector<s3xml::DeleteOutcome> outcomes;
    for (const auto& key : request.keys) {
        s3xml::DeleteOutcome o{key, "", ""};
        try {
            objects_.delete_object(bucket, key);
        } catch (const store::ObjectStoreError& e) {
            o.error_code = e.code_name();
            o.error_message = e.what();
        }
        outcomes.push_back(std::move(o));
    }
    send_xml(res, s3xml::delete_result(outcomes, request.quiet));
}

}  // namespace apiary::service
