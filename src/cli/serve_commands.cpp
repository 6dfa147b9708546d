// apiary serve | apiary credentials create|list|delete
#include <atomic>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/stop_signals.h"
#include "cli/table.h"
#include "core/error.h"
#include "service/server.h"
#include "store/credentials.h"

namespace apiary::cli {
namespace {

struct ServeOptions {
    service::ServerOptions server;
    std::vector<std::string> train_options;  // key=value, TrainConfig's JSON names
    double visibility_timeout_s = 60;
};

train::TrainConfig training_config(const std::vector<std::string>& pairs) {
    Json options = Json::object();
    for (const auto& pair : pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) throw Error("--train-option '" + pair + "': expected KEY=VALUE, e.g. epochs=5");
        const std::string key = pair.substr(0, eq), value = pair.substr(eq + 1);
        try {
            options[key] = Json::parse(value);
        } catch (const std::exception&) {
            options[key] = value;  // a bare word such as augment=strong
        }
    }
    return train::TrainConfig::with_options({}, options, "--train-option");
}

void print_new_key(const store::AccessKey& key) {
    std::cout << "created access key (the secret is shown only now):\n"
              << "  aws_access_key_id     = " << key.id << "\n"
              << "  aws_secret_access_key = " << key.secret << "\n"
              << std::flush;
}

void run_serve(Context& ctx, const ServeOptions& o) {
    const store::DataDir dir = store::DataDir::resolve(ctx.data_dir_flag);
    if (o.server.auth) {
        store::CredentialStore credentials(dir);
        if (credentials.empty()) print_new_key(credentials.create("created by the first apiary serve"));
    } else {
        std::cerr << "WARNING: --no-auth: every request is accepted without a signature. Anyone who can reach "
                  << o.server.host << " can read, write and delete all data. Use only for throw-away local work.\n";
    }
    service::ServerOptions options = o.server;
    options.rekognition.training = training_config(o.train_options);
    options.pipeline_queue.visibility_timeout_ms = static_cast<int64_t>(o.visibility_timeout_s * 1000);

    // A signal asks the server to stop: requests in flight finish, training keeps its checkpoint
    // and resumes at the next start. Set up before the server starts its threads, so that they
    // leave the signals to the watcher.
    std::atomic<service::Server*> running{nullptr};
    StopSignals signals([&running] {
        if (auto* server = running.load()) server->stop();
    });
    service::Server server(dir, options);
    const int port = server.bind();
    const std::string address = std::string(options.tls_cert.empty() ? "http" : "https") + "://" + options.host + ":" +
                                std::to_string(port);
    std::cout << "apiary serve: listening on " << address << " (data " << dir.root().string() << ")" << std::endl;
    if (options.console.enabled) std::cout << "apiary serve: web console at " << address << "/console/" << std::endl;
    running = &server;
    server.run();
    running = nullptr;
    std::cout << "apiary serve: stopped" << std::endl;
}

}  // namespace

void add_serve_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ServeOptions>();
    auto* serve = app.add_subcommand("serve", "serve the Rekognition Custom Labels API and S3 buckets over HTTP");
    serve->add_option("--host", o->server.host, "address to listen on")->capture_default_str();
    serve->add_option("--port", o->server.port, "port (0: any free port)")->capture_default_str();
    serve->add_flag("!--no-auth", o->server.auth, "accept unsigned requests (throw-away local use only)");
    serve->add_option("--region", o->server.region, "region clients sign for")->capture_default_str();
    serve->add_option("--http-threads", o->server.http_threads, "requests worked on at once")->capture_default_str();
    auto& limits = o->server.limits;
    serve->add_option("--header-timeout", limits.header_timeout_s, "seconds a client has to send a request's header")
        ->capture_default_str();
    serve->add_option("--idle-timeout", limits.idle_timeout_s, "seconds a kept-alive connection may wait between requests")
        ->capture_default_str();
    serve->add_option("--min-body-rate", limits.min_body_rate,
                      "bytes per second a request body must average after its first 10 s")
        ->capture_default_str();
    serve->add_option("--max-connections", limits.max_connections, "connections open at once; more get 503 SlowDown")
        ->capture_default_str();
    serve->add_option("--max-connections-per-client", limits.max_connections_per_client,
                      "connections open at once from one client address")
        ->capture_default_str();
    serve->add_option("--tls-cert", o->server.tls_cert, "serve HTTPS with this PEM certificate chain (with --tls-key)")
        ->check(CLI::ExistingFile);
    serve->add_option("--tls-key", o->server.tls_key, "the PEM private key of --tls-cert")->check(CLI::ExistingFile);
    serve->add_option("--console-dir", o->server.console.dev_dir,
                      "development: serve the web console's unbundled sources from this console/ folder")
        ->check(CLI::ExistingDirectory);
    serve->add_flag("!--no-console", o->server.console.enabled, "do not serve the web console under /console/");
    serve->add_option("--threads", o->server.rekognition.inference_threads, "CPU threads per inference (default: all cores)");
    serve->add_option("--max-pending-detections", o->server.rekognition.max_pending_detections,
                      "DetectCustomLabels requests allowed to wait; more get ThrottlingException")
        ->capture_default_str();
    serve->add_option("--pipeline-visibility-timeout", o->visibility_timeout_s,
                      "seconds before an event whose worker died is handed out again")
        ->capture_default_str();
    serve->add_option("--encryption-key-file", o->server.encryption_key_file,
                      "encrypt queued pipeline messages and pipeline results at rest (AES-256-GCM) with the key "
                      "in FILE: 32 raw bytes or 64 hex digits, mode 600. Create one with: "
                      "head -c 32 /dev/urandom > FILE && chmod 600 FILE")
        ->check(CLI::ExistingFile);
    serve->add_option("--train-option", o->train_options,
                      "training knob for CreateProjectVersion jobs, KEY=VALUE (epochs=5, image_size=320, ...)");
    serve->callback([&ctx, o] { run_serve(ctx, *o); });

    auto* credentials = app.add_subcommand("credentials", "access keys for apiary serve (SigV4)");
    credentials->require_subcommand(1);
    auto description = std::make_shared<std::string>();
    auto* create = credentials->add_subcommand("create", "create an access key (the secret is printed once)");
    create->add_option("--description", *description, "what the key is for");
    create->callback([&ctx, description] {
        store::CredentialStore store(store::DataDir::resolve(ctx.data_dir_flag));
        const auto key = store.create(*description);
        ctx.emit({{"AccessKeyId", key.id}, {"SecretAccessKey", key.secret}}, [&] { print_new_key(key); });
    });
    credentials->add_subcommand("list", "list access keys (without secrets)")->callback([&ctx] {
        store::CredentialStore store(store::DataDir::resolve(ctx.data_dir_flag));
        Json j = Json::array();
        Table t({"ACCESS KEY ID", "CREATED", "DESCRIPTION"});
        for (const auto& k : store.list()) {
            j.push_back({{"AccessKeyId", k.id}, {"CreationTimestamp", k.created_ms / 1000.0}, {"Description", k.description}});
            t.add({k.id, std::to_string(k.created_ms / 1000), k.description});
        }
        ctx.emit(j, [&] { t.print(std::cout); });
    });
    auto id = std::make_shared<std::string>();
    auto* remove = credentials->add_subcommand("delete", "delete an access key");
    remove->add_option("id", *id, "access key id")->required();
    remove->callback([&ctx, id] {
        store::CredentialStore store(store::DataDir::resolve(ctx.data_dir_flag));
        if (!store.remove(*id)) throw NotFound("no access key " + *id);
        ctx.emit({{"Deleted", *id}}, [&] { std::cout << "deleted access key " << *id << "\n"; });
    });
}

}  // namespace apiary::cli
