#pragma once
// `apiary serve`: one HTTP endpoint for both the Rekognition Custom Labels JSON API
// (POST / with X-Amz-Target) and S3-compatible path-style buckets, every request SigV4
// authenticated against the data directory's access keys unless auth is off.
#include <filesystem>
#include <memory>
#include <string>

#include "pipeline/queue.h"
#include "service/console_router.h"
#include "service/http_front_end.h"
#include "service/rekognition_api.h"
#include "store/data_dir.h"

namespace apiary::service {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (see Server::port())
    bool auth = true; // false only for throw-away local use (--no-auth)
    std::string region = "us-east-1";
    int http_threads = 32;  // requests worked on at once (idle and slow connections hold none)
    size_t max_json_body = 16 * 1024 * 1024;           // Rekognition requests (4 MB images, base64)
    int64_t max_object_bytes = int64_t(5) << 30;       // one PutObject or UploadPart body
    FrontEndLimits limits;                             // header size, timeouts, connection caps
    std::filesystem::path tls_cert, tls_key;           // both set: HTTPS only
    RekognitionSettings rekognition;                   // training knobs, inference threads, limits
    ConsoleOptions console;                            // the web console under /console/
    // Event pipelines: a model found stopped is started and the event retried, so give
    // retries time (1, 2, 4, 8 s) before dead-lettering.
    pipeline::QueueSettings pipeline_queue{60'000, 5, 1'000, 30'000};
    // Encryption at rest (AES-256-GCM) of queued pipeline messages and pipeline results, under the
    // key in this file (see EncryptionKey::load); empty: off.
    std::filesystem::path encryption_key_file;
};

class Server {
public:
    Server(const store::DataDir& dir, const ServerOptions& options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listening socket (throws Error when it cannot) and returns the port.
    int bind();
    // Serves until stop(); call after bind(). Restarts interrupted training and models first.
    void run();
    // Thread-safe, also from a signal-watching thread: stops accepting, lets requests finish.
    void stop();

    int port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace apiary::service
