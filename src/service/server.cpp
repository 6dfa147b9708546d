#include "service/server.h"

#include <iostream>

#include "core/error.h"
#include "service/api_router.h"
#include "service/event_pipelines.h"
#include "service/http_front_end.h"
#include "service/rekognition_api.h"
#include "service/s3_api.h"
#include "store/credentials.h"
#include "store/object_store.h"

namespace apiary::service {

namespace {

RouterLimits router_limits(const ServerOptions& o) {
    RouterLimits l;
    l.auth = o.auth;
    l.max_json_body = o.max_json_body;
    l.max_object_bytes = o.max_object_bytes;
    return l;
}

ConsoleOptions console_options(const ServerOptions& o) {
    ConsoleOptions c = o.console;
    c.auth = o.auth;
    return c;
}

FrontEndOptions front_end_options(const ServerOptions& o) {
    FrontEndOptions f;
    f.host = o.host;
    f.port = o.port;
    f.handler_threads = o.http_threads;
    f.limits = o.limits;
    f.tls_cert = o.tls_cert;
    f.tls_key = o.tls_key;
    return f;
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
          pipelines(d, objects, rekognition, o.pipeline_queue, key),
          router(router_limits(o), credentials, objects, s3, rekognition, pipelines),
          console_endpoints(d, rekognition, o.console.settings),
          console(console_options(o), router, credentials, console_endpoints),
          front_end(front_end_options(o), console) {
        s3.set_object_created_hook(pipelines.hook());
    }

    store::DataDir dir;
    ServerOptions options;
    std::optional<EncryptionKey> key;  // loaded once, before anything reads or writes with it
    store::ObjectStore objects;
    store::CredentialStore credentials;
    S3Api s3;
    RekognitionApi rekognition;
    EventPipelines pipelines;
    ApiRouter router;
    ConsoleEndpoints console_endpoints;
    ConsoleRouter console;  // in front of the router: /console/ and a browser's GET /
    HttpFrontEnd front_end;  // last: stopped and destroyed before what its requests use
};

Server::Server(const store::DataDir& dir, const ServerOptions& options) : impl_(std::make_unique<Impl>(dir, options)) {}

Server::~Server() = default;

int Server::bind() { return impl_->front_end.bind(); }

void Server::run() {
    const size_t orphans = impl_->objects.remove_orphan_blobs();
    if (orphans)
        std::clog << "cleaned up " << orphans
                  << " object files left by an earlier crash (unreferenced blobs are kept a week in objects/orphaned/)\n";
    impl_->rekognition.recover();
    impl_->front_end.run();
}

void Server::stop() { impl_->front_end.stop(); }

int Server::port() const { return impl_->front_end.port(); }

}  // namespace apiary::service
