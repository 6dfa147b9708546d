// apiary pipeline create|list|describe|update|pause|resume|delete|status|redrive|watch
#include <atomic>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/stop_signals.h"
#include "cli/table.h"
#include "core/arn.h"
#include "core/error.h"
#include "infer/predictor.h"
#include "pipeline/directory_watch.h"
#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"
#include "vision/decode.h"

namespace apiary::cli {
namespace {

struct PipelineOptions {
    pipeline::PipelineSpec spec;
    std::string suffixes;  // ".jpg,.png"
    std::string model;     // version ARN or project/version
    double min_confidence = -1;
    std::string review_band;  // "30-80" (percent); "none" removes it
    std::string dir;       // watch
};

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item.front() == '.' ? item : "." + item);
    return out;
}

// "project/version" or a version ARN → the version.
store::VersionInfo resolve_model(Context& ctx, const std::string& model) {
    if (auto arn = parse_arn(model); arn && arn->kind == "version")
        return ctx.catalog().version(ctx.catalog().project(arn->project), model);
    const auto slash = model.find('/');
    if (slash == std::string::npos)
        throw Error(Location{"", 0, "--model"}, "'" + model + "' is neither a model version ARN nor PROJECT/VERSION");
    return ctx.catalog().version(ctx.catalog().project(model.substr(0, slash)), model.substr(slash + 1));
}

Json spec_json(const pipeline::PipelineSpec& s) {
    Json j = {{"Name", s.name},     {"Bucket", s.bucket},   {"Prefix", s.prefix},         {"Suffixes", s.suffixes},
              {"Model", s.model},   {"Workers", s.workers}, {"MaxResults", s.max_results}, {"Paused", s.paused},
              {"CreationTimestamp", s.created_ms / 1000.0}};
    if (s.min_confidence) j["MinConfidence"] = *s.min_confidence;
    if (s.review_min) j["ReviewBand"] = {*s.review_min, *s.review_max};
    return j;
}

Json stats_json(const pipeline::QueueStats& s) {
    std::vector<double> lat = s.latency_ms;
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, static_cast<size_t>(p * lat.size()))]; };
    Json j = {{"Queued", s.queued},
              {"InFlight", s.in_flight},
              {"Done", s.done},
              {"FailedAttempts", s.failed_attempts},
              {"DeadLettered", s.dead_lettered},
              {"ImagesPerSecondLastMinute", s.done_per_s_last_minute},
              {"LatencyP50Ms", pct(0.5)},
              {"LatencyP99Ms", pct(0.99)}};
    if (s.last_error) j["LastError"] = *s.last_error;
    return j;
}

void apply_model_options(Context& ctx, const PipelineOptions& o, pipeline::PipelineSpec& spec) {
    if (!o.model.empty()) spec.model = resolve_model(ctx, o.model).arn;
    if (o.min_confidence >= 0) spec.min_confidence = o.min_confidence;
    if (!o.suffixes.empty()) spec.suffixes = split_list(o.suffixes);
    if (o.review_band == "none") {
        spec.review_min.reset(), spec.review_max.reset();
    } else if (!o.review_band.empty()) {
        const auto dash = o.review_band.find('-');
        try {
            if (dash == std::string::npos) throw std::invalid_argument("no dash");
            size_t used_low = 0, used_high = 0;
            const double low = std::stod(o.review_band.substr(0, dash), &used_low);
            const double high = std::stod(o.review_band.substr(dash + 1), &used_high);
            if (used_low != dash || used_high != o.review_band.size() - dash - 1) throw std::invalid_argument("trailing");
            spec.review_min = low, spec.review_max = high;
        } catch (const std::exception&) {
            throw Error(Location{"", 0, "--review-band"}, "'" + o.review_band + "': expected LOW-HIGH in percent, e.g. 30-80, or none");
        }
    }
}

void add_model_flags(CLI::App* cmd, const std::shared_ptr<PipelineOptions>& o) {
    cmd->add_option("--model", o->model, "model version ARN, or PROJECT/VERSION");
    cmd->add_option("--min-confidence", o->min_confidence, "0-100 (default: each label's assumed threshold)");
    cmd->add_option("--max-results", o->spec.max_results, "labels per image (default: all)");
    cmd->add_option("--suffix", o->suffixes, "image suffixes, comma separated (default .jpg,.jpeg,.png)");
    cmd->add_option("--review-band", o->review_band,
                    "queue results whose best confidence is in LOW-HIGH percent for review (apiary review), e.g. 30-80; none: off");
}

// Runs the watch until SIGINT/SIGTERM.
void run_watch(Context& ctx, const PipelineOptions& o) {
    if (o.model.empty()) throw Error(Location{"", 0, "--model"}, "--model is required");
    const auto version = resolve_model(ctx, o.model);
    auto predictor = infer::Predictor::load(version.dir);
    infer::DetectOptions detect;
    if (o.min_confidence >= 0) detect.min_confidence = o.min_confidence;
    detect.max_results = static_cast<size_t>(std::max(0, o.spec.max_results));

    std::atomic<bool> stop{false};
    StopSignals signals([&stop] { stop = true; });

    pipeline::WatchCallbacks cb;
    cb.detect = [&](const std::filesystem::path& image) {
        return infer::to_custom_labels_json(predictor.detect(vision::decode_image_file(image), detect)).dump();
    };
    cb.on_result = [](const std::filesystem::path& image, const std::filesystem::path&) {
        std::cout << "answered " << image.string() << std::endl;
    };
    cb.on_error = [](const std::filesystem::path& image, const std::string& error) {
        std::cerr << "error: " << image.string() << ": " << error << std::endl;
    };
    pipeline::WatchOptions options;
    if (!o.suffixes.empty()) options.suffixes = split_list(o.suffixes);
    std::cout << "watching " << o.dir << " with " << version.arn << " (Ctrl-C stops)" << std::endl;
    pipeline::watch_directory(o.dir, cb, stop, options);
}

}  // namespace

void add_pipeline_commands(CLI::App& app, Context& ctx) {
    auto* pl = app.add_subcommand("pipeline", "event pipelines: uploads under a prefix → model → <key>.json");
    pl->require_subcommand(1);
    auto store = [&ctx] { return pipeline::PipelineStore(store::DataDir::resolve(ctx.data_dir_flag)); };

    auto c = std::make_shared<PipelineOptions>();
    auto* create = pl->add_subcommand("create", "create a pipeline (apiary serve runs it)");
    create->add_option("name", c->spec.name, "pipeline name")->required();
    create->add_option("--bucket", c->spec.bucket, "bucket whose uploads trigger it")->required();
    create->add_option("--prefix", c->spec.prefix, "key prefix, e.g. test_images/");
    create->add_option("--workers", c->spec.workers, "parallel workers (1-16)")->capture_default_str();
    add_model_flags(create, c);
    create->callback([&ctx, c, store] {
        if (c->model.empty()) throw Error(Location{"", 0, "--model"}, "--model is required");
        pipeline::PipelineSpec spec = c->spec;
        apply_model_options(ctx, *c, spec);
        const auto created = store().create(spec);
        ctx.emit(spec_json(created), [&] {
            std::cout << "created pipeline " << created.name << ": s3://" << created.bucket << "/" << created.prefix
                      << "* → " << created.model << "\n";
        });
    });

    auto u = std::make_shared<PipelineOptions>();
    auto* update = pl->add_subcommand("update", "change the model, threshold, results or workers (new events)");
    update->add_option("name", u->spec.name, "pipeline name")->required();
    update->add_option("--workers", u->spec.workers, "parallel workers (1-16)");
    add_model_flags(update, u);
    update->callback([&ctx, u, store] {
        auto s = store();
        pipeline::PipelineSpec spec = s.get(u->spec.name);
        apply_model_options(ctx, *u, spec);
        if (u->spec.max_results) spec.max_results = u->spec.max_results;
        if (u->spec.workers != pipeline::PipelineSpec{}.workers) spec.workers = u->spec.workers;
        const auto updated = s.update(spec);
        ctx.emit(spec_json(updated), [&] { std::cout << "updated pipeline " << updated.name << "\n"; });
    });

    pl->add_subcommand("list", "list pipelines")->callback([&ctx, store] {
        Json j = Json::array();
        Table t({"NAME", "SOURCE", "MODEL", "WORKERS", "STATE"});
        for (const auto& s : store().list()) {
            j.push_back(spec_json(s));
            t.add({s.name, "s3://" + s.bucket + "/" + s.prefix, s.model, std::to_string(s.workers), s.paused ? "paused" : "active"});
        }
        ctx.emit(j, [&] { t.print(std::cout); });
    });

    auto name = std::make_shared<std::string>();
    auto* describe = pl->add_subcommand("describe", "a pipeline's definition and queue");
    describe->add_option("name", *name)->required();
    describe->callback([&ctx, name, store] {
        const auto spec = store().get(*name);
        pipeline::SqliteQueue queue(store::DataDir::resolve(ctx.data_dir_flag));
        Json j = spec_json(spec);
        j["Queue"] = stats_json(queue.stats(*name));
        ctx.emit(j, [&] { std::cout << j.dump(2) << "\n"; });
    });

    auto* status = pl->add_subcommand("status", "queued, in flight, done, failed, dead-lettered, throughput, last error");
    status->add_option("name", *name)->required();
    status->callback([&ctx, name, store] {
        store().get(*name);  // NotFound for an unknown pipeline
        pipeline::SqliteQueue queue(store::DataDir::resolve(ctx.data_dir_flag));
        Json j = stats_json(queue.stats(*name));
        Json dead = Json::array();
        for (const auto& d : queue.dead_letters(*name))
            dead.push_back({{"Bucket", d.message.bucket}, {"Key", d.message.key}, {"Error", d.error}, {"Attempts", d.message.attempts}});
        j["DeadLetters"] = dead;
        ctx.emit(j, [&] {
            std::cout << "queued " << j["Queued"] << ", in flight " << j["InFlight"] << ", done " << j["Done"]
                      << ", failed attempts " << j["FailedAttempts"] << ", dead-lettered " << j["DeadLettered"] << "\n"
                      << "throughput (last minute) " << j["ImagesPerSecondLastMinute"].get<double>() << " images/s, latency p50 "
                      << j["LatencyP50Ms"].get<double>() << " ms, p99 " << j["LatencyP99Ms"].get<double>() << " ms\n";
            if (j.contains("LastError")) std::cout << "last error: " << j["LastError"].get<std::string>() << "\n";
            for (const auto& d : dead) std::cout << "dead letter: s3://" << d["Bucket"].get<std::string>() << "/"
                                                 << d["Key"].get<std::string>() << ": " << d["Error"].get<std::string>() << "\n";
        });
    });

    for (const auto& [verb, paused] : {std::pair{"pause", true}, std::pair{"resume", false}}) {
        auto* cmd = pl->add_subcommand(verb, paused ? "stop processing (uploads keep being queued)" : "process again");
        cmd->add_option("name", *name)->required();
        cmd->callback([&ctx, name, store, paused = paused] {
            store().set_paused(*name, paused);
            ctx.emit({{"Name", *name}, {"Paused", paused}},
                     [&] { std::cout << (paused ? "paused " : "resumed ") << *name << "\n"; });
        });
    }

    auto* redrive = pl->add_subcommand("redrive", "queue the dead letters again");
    redrive->add_option("name", *name)->required();
    redrive->callback([&ctx, name, store] {
        store().get(*name);
        const size_t n = pipeline::SqliteQueue(store::DataDir::resolve(ctx.data_dir_flag)).redrive(*name);
        ctx.emit({{"Requeued", n}}, [&] { std::cout << "requeued " << n << " dead letters of " << *name << "\n"; });
    });

    auto* remove = pl->add_subcommand("delete", "delete a pipeline and its queue (results stay)");
    remove->add_option("name", *name)->required();
    remove->callback([&ctx, name, store] {
        store().remove(*name);
        ctx.emit({{"Deleted", *name}}, [&] { std::cout << "deleted pipeline " << *name << "\n"; });
    });

    auto w = std::make_shared<PipelineOptions>();
    auto* watch = pl->add_subcommand("watch", "answer every image written to a folder with <file>.json (no server)");
    watch->add_option("dir", w->dir, "folder to watch")->required();
    add_model_flags(watch, w);
    watch->callback([&ctx, w] { run_watch(ctx, *w); });
}

}  // namespace apiary::cli
