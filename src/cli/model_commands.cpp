// apiary train | evaluate | describe: model versions of a project.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/files.h"
#include "data/import.h"
#include "train/project_training.h"

namespace apiary::cli {
namespace fs = std::filesystem;
namespace {


void print_evaluation(const Json& evaluation) {
    Table t({"LABEL", "F1", "PRECISION", "RECALL", "THRESHOLD", "AP50", "mAP50-95", "TEST BOXES"});
    for (const auto& l : evaluation["labels"])
        t.add({l["label"].get<std::string>(), format_number(l["assumed"]["f1"].get<double>(), 3),
               format_number(l["assumed"]["precision"].get<double>(), 3),
               format_number(l["assumed"]["recall"].get<double>(), 3),
               format_number(l["assumed"]["threshold"].get<double>(), 3), format_number(l["ap50"].get<double>(), 3),
               format_number(l["map50_95"].get<double>(), 3), std::to_string(l["truth_boxes"].get<int>())});
    const auto& o = evaluation["overall"];
    t.add({"(overall)", format_number(o["f1"].get<double>(), 3), format_number(o["precision"].get<double>(), 3),
           format_number(o["recall"].get<double>(), 3), "", format_number(o["ap50"].get<double>(), 3),
           format_number(o["map50_95"].get<double>(), 3), ""});
    t.print(std::cout);
}

struct TrainOptions {
    std::string project, version_name;
    train::TrainConfig config;
    bool resume = false;
};

void run_train(Context& ctx, const TrainOptions& o) {
    train::TrainRequest request;
    request.version_name = o.version_name;
    request.config = o.config;
    request.resume = o.resume;
    const auto* stop = install_stop_handler();
    if (!ctx.json) std::cerr << "training " << o.project << " ...\n";
    const auto r = train::train_project(ctx.catalog(), o.project, request, progress_callbacks(), stop);
    if (r.interrupted) {
        std::cerr << "\ninterrupted after epoch " << r.epochs_run << "; the checkpoint is kept.\n"
                  << "continue with: apiary train " << o.project << " --resume\n";
        throw Error("training interrupted");
    }
    const Json& evaluation = r.evaluation;
    ctx.emit({{"ProjectVersionArn", r.version.arn},
              {"Status", to_string(r.version.status)},
              {"Config", r.config.to_json()},
              {"EpochsRun", r.epochs_run},
              {"BestEpoch", r.best_epoch},
              {"TrainingSeconds", r.seconds},
              {"TrainImages", r.train_images},
              {"ValidationImages", r.validation_images},
              {"TestImages", r.test_images},
              {"Evaluation", evaluation["overall"]}},
             [&] {
                 if (r.split_created) std::cout << "no test dataset: split the training data 80/20\n";
                 std::cout << "trained " << r.version.name << " in " << format_number(r.seconds, 0) << " s: "
                           << r.epochs_run << " epochs at " << r.config.image_size << " px (best epoch "
                           << r.best_epoch << "), " << r.train_images << " train / " << r.validation_images
                           << " validation / " << r.test_images << " test images\n  " << r.version.arn
                           << "\n\nevaluation on the test dataset:\n";
                 print_evaluation(evaluation);
             });
}

struct EvaluateOptions {
    std::string project, version, dataset;
    std::vector<std::string> maps;
    std::string out;
};

void run_evaluate(Context& ctx, const EvaluateOptions& o) {
    train::EvaluateRequest request;
    request.version = o.version;
    if (!o.dataset.empty()) {
        data::ImportOptions options;
        for (const auto& m : o.maps) options.maps.push_back(data::PathMapping::parse(m));
        auto report = data::import_dataset(o.dataset, options);
        for (const auto& issue : report.issues) std::cerr << "  " << issue.str() << "\n";
        request.entries = std::move(report.entries);
    }
    const auto r = train::evaluate_version(ctx.catalog(), o.project, request);
    const Json& evaluation = r.evaluation;
    if (!o.out.empty()) write_file_atomic(o.out, evaluation.dump(2));
    ctx.emit({{"ProjectVersionArn", r.version.arn}, {"Images", r.images}, {"Evaluation", evaluation}}, [&] {
        std::cout << "evaluated " << r.version.name << " on " << r.images << " images"
                  << (o.dataset.empty() ? " (test dataset, thresholds calibrated)" : " (model thresholds)") << "\n";
        print_evaluation(evaluation);
    });
}

void run_describe(Context& ctx, const std::string& project_name, const std::string& version_name) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(project_name);
    if (version_name.empty()) {
        const auto versions = catalog.versions(project);
        Json all = Json::array();
        Table t({"VERSION", "STATUS", "F1", "AP50", "CREATED", "MESSAGE"});
        for (const auto& v : versions) {
            all.push_back({{"ProjectVersionArn", v.arn},
                           {"VersionName", v.name},
                           {"Status", to_string(v.status)},
                           {"StatusMessage", v.status_message},
                           {"CreationTimestamp", v.created_ms / 1000.0},
                           {"Metrics", v.metrics}});
            t.add({v.name, to_string(v.status), v.metrics.contains("f1") ? format_number(v.metrics["f1"].get<double>(), 3) : "-",
                   v.metrics.contains("ap50") ? format_number(v.metrics["ap50"].get<double>(), 3) : "-",
                   format_time_ms(v.created_ms), v.status_message});
        }
        ctx.emit({{"ProjectVersionDescriptions", all}}, [&] { t.print(std::cout); });
        return;
    }
    const auto v = catalog.version(project, version_name);
    Json evaluation = Json::object();
    if (fs::exists(fs::path(v.dir) / "evaluation.json")) evaluation = Json::parse(read_file(fs::path(v.dir) / "evaluation.json"));
    Json config = v.config;
    ctx.emit({{"ProjectVersionArn", v.arn},
              {"Status", to_string(v.status)},
              {"StatusMessage", v.status_message},
              {"Config", config},
              {"Evaluation", evaluation}},
             [&] {
                 std::cout << v.name << "  " << to_string(v.status) << "  " << v.status_message << "\n  " << v.arn << "\n  input "
                           << config.value("image_size", 0) << " px, " << config.value("epochs", 0) << " epochs max\n\n";
                 if (!evaluation.empty()) print_evaluation(evaluation);
             });
}

}  // namespace

void add_model_commands(CLI::App& app, Context& ctx) {
    auto t = std::make_shared<TrainOptions>();
    auto* train = app.add_subcommand("train", "train a detector on a project's datasets (automatic by default)");
    train->add_option("project", t->project, "project name or ARN")->required();
    train->add_option("--version-name", t->version_name, "name of the new model version");
    train->add_flag("--resume", t->resume, "continue the project's interrupted training");
    train->add_option("--epochs", t->config.epochs, "maximum epochs (default: from dataset size)");
    train->add_option("--image-size", t->config.image_size, "input size in pixels, multiple of 32 (default: from object sizes)")
        ->check(CLI::Range(64, 1536));
    train->add_option("--batch", t->config.batch, "images per step")->check(CLI::Range(1, 256))->capture_default_str();
    train->add_option("--lr", t->config.lr, "learning rate of the pretrained layers (default 4e-4)");
    train->add_flag("--freeze-backbone", t->config.freeze_backbone, "train only the neck and heads");
    train->add_option("--augment", t->config.augment, "none, light, strong or auto")
        ->check(CLI::IsMember({"none", "light", "strong", "auto"}))
        ->capture_default_str();
    train->add_option("--seed", t->config.seed, "random seed (same seed and threads: same model)")->capture_default_str();
    train->add_option("--threads", t->config.threads, "CPU threads (default: all cores)");
    train->add_option("--patience", t->config.patience, "epochs without validation gain before stopping");
    train->add_flag("--flip-test,!--no-flip-test", t->config.flip_test,
                    "also average each image with its mirror image at inference (twice the latency)");
    train->add_option("--time-budget", t->config.time_budget_s, "seconds the automatic epoch count aims for")
        ->capture_default_str();
    train->callback([&ctx, t] { run_train(ctx, *t); });

    auto e = std::make_shared<EvaluateOptions>();
    auto* evaluate = app.add_subcommand("evaluate", "evaluate a model version on the test dataset or another one");
    evaluate->add_option("project", e->project, "project name or ARN")->required();
    evaluate->add_option("--version", e->version, "version name or ARN (default: the newest trained)");
    evaluate->add_option("--dataset", e->dataset, "evaluate on this manifest/dataset instead of the test dataset");
    evaluate->add_option("--map", e->maps, "rewrite source-refs of --dataset: s3://bucket/prefix=DIR");
    evaluate->add_option("--out", e->out, "write the evaluation JSON here");
    evaluate->callback([&ctx, e] { run_evaluate(ctx, *e); });

    auto d = std::make_shared<std::pair<std::string, std::string>>();
    auto* describe = app.add_subcommand("describe", "model versions of a project, or one version's evaluation");
    describe->add_option("project", d->first, "project name or ARN")->required();
    describe->add_option("--version", d->second, "version name or ARN");
    describe->callback([&ctx, d] { run_describe(ctx, d->first, d->second); });
}

}  // namespace apiary::cli
