#include "service/s3_api.h"

#include <fstream>

#include "core/base64.h"
#include "core/hash.h"
#include "service/s3_xml.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& code, const std::string& message) {
    throw store::ObjectStoreError(code, message);
}

store::UserMetadata user_metadata_of(const httplib::Request& req) {
    store::UserMetadata meta;
    for (const auto& [name, value] : req.headers) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        if (lower.starts_with("x-amz-meta-")) meta[lower.substr(11)] = value;
    }
    return meta;
}

std::string content_type_of(const httplib::Request& req) {
    const std::string t = req.get_header_value("Content-Type");
    return t.empty() ? "binary/octet-stream" : t;
}

void set_object_headers(httplib::Response& res, const store::ObjectInfo& info) {
    res.set_header("ETag", "\"" + info.etag + "\"");
    res.set_header("Last-Modified", s3xml::http_date(info.modified_ms));
    res.set_header("Accept-Ranges", "bytes");
    for (const auto& [k, v] : info.user_metadata) res.set_header("x-amz-meta-" + k, v);
}

void send_xml(httplib::Response& res, const std::string& xml, int status = 200) {
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
    auto parts = split_s3_path(httplib::detail::decode_url(source, false));
    if (parts.first.empty() || parts.second.empty())
        fail("InvalidArgument", "x-amz-copy-source must name a bucket and a key");
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

int S3Api::status_of(const std::string& code) {
    static const std::map<std::string, int> statuses = {
        {"NoSuchBucket", 404},        {"NoSuchKey", 404},          {"NoSuchUpload", 404},
        {"BucketAlreadyOwnedByYou", 409}, {"BucketNotEmpty", 409}, {"InvalidRange", 416},
        {"AccessDenied", 403},        {"SignatureDoesNotMatch", 403}, {"InvalidAccessKeyId", 403},
        {"RequestTimeTooSkewed", 403}, {"MissingAuthenticationToken", 403}, {"NotImplemented", 501},
        {"MethodNotAllowed", 405},    {"EntityTooLarge", 400},     {"InternalError", 500},
    };
    const auto it = statuses.find(code);
    return it == statuses.end() ? 400 : it->second;
}

void S3Api::write_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                        const std::string& resource) {
    res.status = status;
    res.set_content(s3xml::error(code, message, resource), "application/xml");
}

void S3Api::handle(const httplib::Request& req, httplib::Response& res, const StagedBody* staged,
                   const std::string& body) {
    const auto [bucket, key] = split_s3_path(req.path);
    try {
        dispatch(req, res, bucket, key, staged, body);
    } catch (const store::ObjectStoreError& e) {
        write_error(res, status_of(e.code()), e.code(), e.what(), req.path);
    }
    // A HEAD response has no body to carry an error document.
    if (req.method == "HEAD" && res.status >= 400) res.body.clear();
}

void S3Api::dispatch(const httplib::Request& req, httplib::Response& res, const std::string& bucket,
                     const std::string& key, const StagedBody* staged, const std::string& body) {
    const std::string& m = req.method;
    if (bucket.empty()) {
        if (m == "GET") return send_xml(res, s3xml::list_buckets(objects_.list_buckets()));
        fail("MethodNotAllowed", "only GET is allowed on the service root");
    }
    for (const char* unsupported : {"acl", "policy", "versioning", "tagging", "lifecycle", "cors", "website", "versions"})
        if (req.has_param(unsupported)) fail("NotImplemented", std::string("the ?") + unsupported + " subresource is not supported");

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
            if (!objects_.bucket_exists(bucket)) fail("NoSuchBucket", "no bucket named " + bucket);
            res.set_header("x-amz-bucket-region", region_);
            return;
        }
        if (m == "POST" && req.has_param("delete")) return delete_objects(res, bucket, body);
        if (m == "GET" && req.has_param("location")) {
            if (!objects_.bucket_exists(bucket)) fail("NoSuchBucket", "no bucket named " + bucket);
            return send_xml(res, s3xml::location(region_ == "us-east-1" ? "" : region_));
        }
        if (m == "GET" && req.has_param("uploads")) fail("NotImplemented", "listing multipart uploads is not supported");
        if (m == "GET") return list_objects(req, res, bucket);
        fail("MethodNotAllowed", m + " is not allowed on a bucket");
    }

    // Object operations
    if (req.has_param("uploadId")) {
        const std::string upload = req.get_param_value("uploadId");
        if (m == "PUT") {
            const std::string n = req.get_param_value("partNumber");
            if (n.empty() || n.size() > 5 || n.find_first_not_of("0123456789") != std::string::npos)
                fail("InvalidArgument", "partNumber must be a number between 1 and 10000");
            if (!req.get_header_value("x-amz-copy-source").empty()) fail("NotImplemented", "UploadPartCopy is not supported");
            const std::string etag = objects_.upload_part(bucket, key, upload, std::stoi(n), staged->path);
            res.set_header("ETag", "\"" + etag + "\"");
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
    if (m == "PUT" && !req.get_header_value("x-amz-copy-source").empty()) return copy_object(req, res, bucket, key);
    if (m == "PUT") return put_object(req, res, bucket, key, *staged);
    if (m == "GET" || m == "HEAD") return get_object(req, res, bucket, key);
    if (m == "DELETE") {
        objects_.delete_object(bucket, key);
        res.status = 204;
        return;
    }
    fail("MethodNotAllowed", m + " is not allowed on an object");
}

void S3Api::list_objects(const httplib::Request& req, httplib::Response& res, const std::string& bucket) {
    s3xml::ListEcho echo;
    echo.bucket = bucket;
    echo.v2 = req.get_param_value("list-type") == "2";
    echo.prefix = req.get_param_value("prefix");
    echo.delimiter = req.get_param_value("delimiter");
    echo.url_encode = req.get_param_value("encoding-type") == "url";
    if (req.has_param("max-keys")) {
        const std::string v = req.get_param_value("max-keys");
        if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
            fail("InvalidArgument", "max-keys must be a non-negative number");
        echo.max_keys = std::min(1000, std::stoi(v));
    }
    store::ListQuery q{echo.prefix, echo.delimiter, "", "", echo.max_keys};
    if (echo.v2) {
        echo.start_after = q.start_after = req.get_param_value("start-after");
        echo.continuation_token = q.continuation_token = req.get_param_value("continuation-token");
    } else {
        echo.marker = q.start_after = req.get_param_value("marker");
    }
    send_xml(res, s3xml::list_objects(echo, objects_.list_objects(bucket, q)));
}

void S3Api::get_object(const httplib::Request& req, httplib::Response& res, const std::string& bucket,
                       const std::string& key) {
    // Opened under the store's lock: a concurrent overwrite or delete cannot pull the bytes away.
    auto opened = std::make_shared<store::OpenedObject>(objects_.open_object(bucket, key));
    const store::ObjectInfo& info = opened->info;
    set_object_headers(res, info);
    // cpp-httplib serves a Range itself (206, Content-Range) from a provider of the whole
    // object; refuse the ranges S3 refuses before it gets there.
    if (req.has_header("Range") && !parse_range(req.get_header_value("Range"), info.size)) {
        res.set_header("Content-Range", "bytes */" + std::to_string(info.size));
        fail("InvalidRange", "The requested range is not satisfiable");
    }
    res.set_content_provider(
        static_cast<size_t>(info.size), info.content_type,
        [opened](size_t offset, size_t want, httplib::DataSink& sink) {
            std::vector<char> buffer(std::min<size_t>(want, 1 << 20));
            std::istream& bytes = *opened->bytes;
            bytes.clear();
            bytes.seekg(static_cast<std::streamoff>(offset));
            bytes.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = bytes.gcount();
            if (got <= 0) return false;
            return sink.write(buffer.data(), static_cast<size_t>(got));
        });
}

void S3Api::put_object(const httplib::Request& req, httplib::Response& res, const std::string& bucket,
                       const std::string& key, const StagedBody& staged) {
    if (req.has_header("Content-MD5")) {
        const auto md5 = base64_decode(req.get_header_value("Content-MD5"));
        if (to_hex(md5.value_or("")) != staged.md5_hex) {
            fs::remove(staged.path);
            fail("BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
    }
    const auto info = objects_.put_object(bucket, key, staged.path, content_type_of(req), user_metadata_of(req), on_created_);
    res.set_header("ETag", "\"" + info.etag + "\"");
}

void S3Api::copy_object(const httplib::Request& req, httplib::Response& res, const std::string& bucket,
                        const std::string& key) {
    const auto [src_bucket, src_key] = parse_copy_source(req.get_header_value("x-amz-copy-source"));
    std::optional<store::ObjectAttributes> replace;
    if (req.get_header_value("x-amz-metadata-directive") == "REPLACE")
        replace = store::ObjectAttributes{content_type_of(req), user_metadata_of(req)};
    const auto info = objects_.copy_object(src_bucket, src_key, bucket, key, replace, on_created_);
    send_xml(res, s3xml::copy_object_result(info));
}

void S3Api::delete_objects(httplib::Response& res, const std::string& bucket, const std::string& body) {
    const auto request = s3xml::parse_delete_objects(body);
    std::vector<s3xml::DeleteOutcome> outcomes;
    for (const auto& key : request.keys) {
        s3xml::DeleteOutcome o{key, "", ""};
        try {
            objects_.delete_object(bucket, key);
        } catch (const store::ObjectStoreError& e) {
            o.error_code = e.code();
            o.error_message = e.what();
        }
        outcomes.push_back(std::move(o));
    }
    send_xml(res, s3xml::delete_result(outcomes, request.quiet));
}

}  // namespace apiary::service
