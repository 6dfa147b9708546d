#include "service/server.h"

#include <httplib.h>

#include <fstream>
#include <iostream>

#include "core/arn.h"
#include "core/error.h"
#include "core/hash.h"
#include "service/api_error.h"
#include "service/event_pipelines.h"
#include "service/rekognition_api.h"
#include "service/s3_api.h"
#include "service/sigv4.h"
#include "store/credentials.h"
#include "store/object_store.h"

namespace apiary::service {
namespace fs = std::filesystem;

namespace {

constexpr const char* kJsonType = "application/x-amz-json-1.1";
constexpr const char* kTargetPrefix = "RekognitionService.";

HttpRequestView view_of(const httplib::Request& req, std::string payload_sha256) {
    HttpRequestView v;
    v.method = req.method;
    const auto q = req.target.find('?');
    v.raw_path = req.target.substr(0, q);
    v.raw_query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) v.headers.emplace_back(name, value);
    v.payload_sha256_hex = std::move(payload_sha256);
    return v;
}

void write_json_error(httplib::Response& res, const ApiError& e) {
    res.status = e.status();
    res.set_header("x-amzn-ErrorType", e.code());
    res.set_content(Json{{"__type", e.code()}, {"message", e.what()}}.dump(), kJsonType);
}

}  // namespace

struct Server::Impl {
    Impl(const store::DataDir& d, const ServerOptions& o)
        : dir(d),
          options(o),
          key(o.encryption_key_file.empty() ? std::nullopt
                                            : std::optional(EncryptionKey::load(o.encryption_key_file))),
          objects(d, key),
          credentials(d),
          s3(objects, o.region),
          rekognition(d, objects, o.rekognition),
          pipelines(d, objects, rekognition, o.pipeline_queue, key) {
        s3.set_object_created_hook(pipelines.hook());
    }

    void install_routes();
    void authenticate(const httplib::Request& req, ServiceFamily family, const std::string& payload_sha256);
    void on_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
    void on_put(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
    void on_bodiless(const httplib::Request& req, httplib::Response& res);
    void on_rekognition(const httplib::Request& req, httplib::Response& res, const std::string& body);

    store::DataDir dir;
    ServerOptions options;
    std::optional<EncryptionKey> key;  // loaded once, before anything reads or writes with it
    store::ObjectStore objects;
    store::CredentialStore credentials;
    S3Api s3;
    RekognitionApi rekognition;
    EventPipelines pipelines;
    httplib::Server http;
    int port = 0;
};

void Server::Impl::authenticate(const httplib::Request& req, ServiceFamily family, const std::string& payload_sha256) {
    if (!options.auth) return;
    const auto now_s = now_ms() / 1000;
    const auto identity = verify_sigv4(
        view_of(req, payload_sha256), [this](const std::string& id) { return credentials.secret_for(id); }, now_s, family);
    const std::string expected = family == ServiceFamily::S3 ? "s3" : "rekognition";
    if (identity.scope.service != expected)
        throw AuthError(family == ServiceFamily::S3 ? 403 : 400,
                        family == ServiceFamily::S3 ? "SignatureDoesNotMatch" : "InvalidSignatureException",
                        "Credential should be scoped to the service '" + expected + "', not '" + identity.scope.service + "'");
}

void Server::Impl::on_rekognition(const httplib::Request& req, httplib::Response& res, const std::string& body) {
    try {
        authenticate(req, ServiceFamily::Json, sha256_hex(body));
        const std::string target = req.get_header_value("X-Amz-Target");
        if (!target.starts_with(kTargetPrefix))
            throw ApiError(400, "UnknownOperationException", "unknown X-Amz-Target '" + target + "'");
        Json request = Json::object();
        if (!body.empty()) {
            try {
                request = Json::parse(body);
            } catch (const std::exception& e) {
                throw ApiError(400, "SerializationException", std::string("the request body is not valid JSON: ") + e.what());
            }
        }
        res.set_content(rekognition.handle(target.substr(std::string(kTargetPrefix).size()), request).dump(), kJsonType);
    } catch (const ApiError& e) {
        write_json_error(res, e);
    } catch (const std::exception& e) {
        write_json_error(res, ApiError(500, "InternalServerError", e.what()));
    }
}

void Server::Impl::on_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    const bool json_api = req.has_header("X-Amz-Target");
    std::string body;
    bool too_large = false;
    reader([&](const char* data, size_t n) {
        if (body.size() + n > options.max_json_body) return !(too_large = true);
        body.append(data, n);
        return true;
    });
    if (too_large) {
        const std::string message = "the request body exceeds " + std::to_string(options.max_json_body) + " bytes";
        if (json_api) return write_json_error(res, rekognition::image_too_large(message));
        return S3Api::write_error(res, 413, "EntityTooLarge", message, req.path);
    }
    if (json_api) return on_rekognition(req, res, body);
    try {
        authenticate(req, ServiceFamily::S3, sha256_hex(body));
    } catch (const ApiError& e) {
        return S3Api::write_error(res, e.status(), e.code(), e.what(), req.path);
    }
    s3.handle(req, res, nullptr, body);
    pipelines.after_write();  // CompleteMultipartUpload
}

void Server::Impl::on_put(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
    // Authenticate before accepting the body, against the digest the client declares; the body
    // is then checked against that digest as it streams to disk.
    const std::string declared = req.get_header_value("x-amz-content-sha256");
    try {
        authenticate(req, ServiceFamily::S3, declared.empty() ? sha256_hex("") : declared);
        const std::string length = req.get_header_value("Content-Length");
        if (length.size() > 18 || (!length.empty() && std::stoll(length) > options.max_object_bytes))
            throw ApiError(400, "EntityTooLarge", "a single upload is limited to " + std::to_string(options.max_object_bytes) +
                                                      " bytes; use a multipart upload");
    } catch (const ApiError& e) {
        return S3Api::write_error(res, e.status(), e.code(), e.what(), req.path);
    }
    StagedBody staged;
    staged.path = objects.new_staging_path();
    {
        std::ofstream out(staged.path, std::ios::binary);
        auto md5 = StreamingDigest::md5();
        auto sha = StreamingDigest::sha256();
        bool ok = static_cast<bool>(out);
        reader([&](const char* data, size_t n) {
            if (staged.size + static_cast<int64_t>(n) > options.max_object_bytes) return ok = false;
            out.write(data, static_cast<std::streamsize>(n));
            md5.update({data, n});
            sha.update({data, n});
            staged.size += static_cast<int64_t>(n);
            return ok = ok && static_cast<bool>(out);
        });
        staged.md5_hex = md5.hex();
        staged.sha256_hex = sha.hex();
        out.close();
        if (!ok || !out) {
            fs::remove(staged.path);
            return S3Api::write_error(res, 400, "IncompleteBody", "the request body could not be received or stored", req.path);
        }
    }
    if (!declared.empty() && declared != kUnsignedPayload && declared != staged.sha256_hex && options.auth) {
        fs::remove(staged.path);
        return S3Api::write_error(res, 400, "XAmzContentSHA256Mismatch",
                                  "The provided 'x-amz-content-sha256' header does not match what was computed.", req.path);
    }
    s3.handle(req, res, &staged, "");
    pipelines.after_write();
    std::error_code ec;
    fs::remove(staged.path, ec);  // still there when the request did not store it
}

void Server::Impl::on_bodiless(const httplib::Request& req, httplib::Response& res) {
    const std::string declared = req.get_header_value("x-amz-content-sha256");
    try {
        authenticate(req, ServiceFamily::S3, declared.empty() ? sha256_hex("") : declared);
    } catch (const ApiError& e) {
        S3Api::write_error(res, e.status(), e.code(), e.what(), req.path);
        if (req.method == "HEAD") res.body.clear();
        return;
    }
    s3.handle(req, res, nullptr, "");
}

void Server::Impl::install_routes() {
    http.Post(".*", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        on_post(req, res, reader);
    });
    http.Put(".*", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        on_put(req, res, reader);
    });
    // cpp-httplib answers HEAD with the GET handler, without a body.
    http.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { on_bodiless(req, res); });
    http.Delete(".*", [this](const httplib::Request& req, httplib::Response& res) { on_bodiless(req, res); });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        S3Api::write_error(res, 500, "InternalError", what, "");
    });
    http.set_read_timeout(options.timeout_s, 0);
    http.set_write_timeout(options.timeout_s, 0);
    http.set_keep_alive_timeout(5);
    // The body is streamed by the handlers, which enforce their own caps.
    http.set_payload_max_length(static_cast<size_t>(options.max_object_bytes) + 1);
    const int threads = options.http_threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
}

Server::Server(const store::DataDir& dir, const ServerOptions& options) : impl_(std::make_unique<Impl>(dir, options)) {
    impl_->install_routes();
}

Server::~Server() = default;

int Server::bind() {
    auto& h = impl_->http;
    impl_->port = impl_->options.port == 0 ? h.bind_to_any_port(impl_->options.host)
                                           : (h.bind_to_port(impl_->options.host, impl_->options.port) ? impl_->options.port : -1);
    if (impl_->port < 0)
        throw Error("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                    " (in use, or not an address of this machine)");
    return impl_->port;
}

void Server::run() {
    const size_t orphans = impl_->objects.remove_orphan_blobs();
    if (orphans) std::clog << "removed " << orphans << " unreferenced object files left by an earlier crash\n";
    impl_->rekognition.recover();
    impl_->http.listen_after_bind();
}

void Server::stop() { impl_->http.stop(); }

int Server::port() const { return impl_->port; }

}  // namespace apiary::service
