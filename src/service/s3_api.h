#pragma once
// The S3 REST API subset (path-style) over store::ObjectStore: buckets, objects with ranges and
// user metadata, listings, copies, batch deletes and multipart uploads. The server has already
// authenticated the request and streamed any PUT body into a staging file.
#include <filesystem>
#include <string>

#include "service/http_message.h"
#include "store/object_store.h"

namespace apiary::service {

class S3Api {
public:
    S3Api(store::ObjectStore& objects, std::string region);

    // Runs inside the transaction of every object creation (PutObject, CopyObject,
    // CompleteMultipartUpload): the event pipeline's way in.
    void set_object_created_hook(store::ObjectCreatedHook hook) { on_created_ = std::move(hook); }

    // `staged` carries the body of PUT requests, `body` the (small) body of POST requests.
    // Errors are written to `res` as S3 XML errors.
    void handle(const HttpRequest& req, HttpResponse& res, const StagedBody* staged, const std::string& body);

    static void write_error(HttpResponse& res, int status, const std::string& code, const std::string& message,
                            const std::string& resource);

private:
    void dispatch(const HttpRequest& req, HttpResponse& res, const std::string& bucket, const std::string& key,
                  const StagedBody* staged, const std::string& body);
    void list_objects(const HttpRequest& req, HttpResponse& res, const std::string& bucket);
    void get_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket, const std::string& key);
    void put_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket, const std::string& key,
                    const StagedBody& staged);
    void copy_object(const HttpRequest& req, HttpResponse& res, const std::string& bucket, const std::string& key);
    void delete_objects(HttpResponse& res, const std::string& bucket, const std::string& body);

    store::ObjectStore& objects_;
    std::string region_;
    store::ObjectCreatedHook on_created_;
};

// "/bucket/some/key" → {"bucket", "some/key"} (path already percent-decoded).
std::pair<std::string, std::string> split_s3_path(const std::string& path);

}  // namespace apiary::service
