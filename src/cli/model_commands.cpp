// apiary train | evaluate | describe: model versions of a project.
#include <iostream>
#include <memory>

#include "cli/classification_report.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/files.h"
#include "data/import.h"
#include "train/project_training.h"
#include "train/stored_evaluation.h"
#include "vision/evaluation_plots.h"

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
    print_classification_report(evaluation, std::cout);
    if (evaluation.contains("reliability")) {
        const auto& r = evaluation["reliability"];
        std::cout << "\nconfidence calibration: ECE " << format_number(r["ece"].get<double>(), 3) << " over "
                  << r["detections"].get<size_t>() << " test detections >= "
                  << format_number(100 * r["floor"].get<double>(), 0) << "%\n";
        Table bins({"CONFIDENCE", "DETECTIONS", "MEAN CONFIDENCE", "TRUE POSITIVE"});
        for (const auto& row : r["bins"]["rows"])
            if (row[2].get<size_t>() > 0)
                bins.add({format_number(100 * row[0].get<double>(), 0) + "-" + format_number(100 * row[1].get<double>(), 0) + "%",
                          std::to_string(row[2].get<size_t>()), format_number(row[3].get<double>(), 3),
                          format_number(row[4].get<double>(), 3)});
        bins.print(std::cout);
    }
}

// Figures at one threshold, answered from the stored predictions.
void print_operating_points(const Json& summary) {
    Table t({"LABEL", "F1", "PRECISION", "RECALL", "THRESHOLD", "TP", "FP", "FN"});
    for (const auto& l : summary["labels"]) {
        const auto& a = l["assumed"];
        t.add({l["label"].get<std::string>(), format_number(a["f1"].get<double>(), 3),
               format_number(a["precision"].get<double>(), 3), format_number(a["recall"].get<double>(), 3),
               format_number(a["threshold"].get<double>(), 3), std::to_string(a["true_positives"].get<size_t>()),
               std::to_string(a["false_positives"].get<size_t>()), std::to_string(a["false_negatives"].get<size_t>())});
    }
    const auto& o = summary["overall"];
    t.add({"(overall)", format_number(o["f1"].get<double>(), 3), format_number(o["precision"].get<double>(), 3),
           format_number(o["recall"].get<double>(), 3), "", "", "", ""});
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
              {"FoldInEpochs", r.fold_in_epochs},
              {"CalibrationFit", r.calibration_fit},
              {"TrainingSeconds", r.seconds},
              {"TrainImages", r.train_images},
              {"ValidationImages", r.validation_images},
              {"TestImages", r.test_images},
              {"Evaluation", evaluation["overall"]}},
             [&] {
                 if (r.split_created) std::cout << "no test dataset: split the training data 80/20\n";
                 std::cout << "trained " << r.version.name << " in " << format_number(r.seconds, 0) << " s: "
                           << r.epochs_run << " epochs at " << r.config.image_size << " px"
                           << (r.config.tile_fraction > 0
                                   ? " on tiles of " + format_number(100 * r.config.tile_fraction, 0) +
                                         "% of the image side"
                                   : std::string())
                           << " (the last "
                           << r.fold_in_epochs << " with the validation images), " << r.train_images << " train / "
                           << r.validation_images << " validation / " << r.test_images << " test images\n  "
                           << r.version.arn
                           << "\n\nevaluation on the test dataset:\n";
                 print_evaluation(evaluation);
             });
}

struct EvaluateOptions {
    std::string project, version, dataset;
    std::vector<std::string> maps;
    std::string out, plot;
    double min_confidence = -1;  // 0..100; < 0: not given
};

void write_plots(Context& ctx, const Json& evaluation, const std::string& dir) {
    const auto files = vision::write_evaluation_plots(evaluation, dir);
    if (!ctx.json)
        for (const auto& f : files) std::cerr << "wrote " << f.string() << "\n";
}

// The test dataset at another threshold: from predictions.json, without running the model.
void run_evaluate_stored(Context& ctx, const EvaluateOptions& o) {
    const auto stored = train::load_stored_evaluation(ctx.catalog(), o.project, o.version);
    const std::optional<double> threshold =
        o.min_confidence >= 0 ? std::optional<double>(o.min_confidence / 100) : std::nullopt;
    const Json summary = stored.at(threshold);
    if (!o.out.empty()) write_file_atomic(o.out, summary.dump(2));
    if (!o.plot.empty()) write_plots(ctx, stored.evaluation, o.plot);
    ctx.emit({{"ProjectVersionArn", stored.version.arn},
              {"Images", stored.predictions.images.size()},
              {"MinConfidence", threshold ? Json(100 * *threshold) : Json()},
              {"Evaluation", summary}},
             [&] {
                 std::cout << "test dataset of " << stored.version.name << " ("
                           << stored.predictions.images.size() << " images) at "
                           << (threshold ? "confidence " + format_number(100 * *threshold, 1) + "%"
                                         : std::string("the assumed thresholds"))
                           << ", from the stored predictions\n";
                 print_operating_points(summary);
             });
}

void run_evaluate(Context& ctx, const EvaluateOptions& o) {
    if (!o.dataset.empty() && o.min_confidence >= 0)
        throw Error(Location{"", 0, "--min-confidence"},
                    "answers from the stored test predictions; it does not combine with --dataset");
    if (o.dataset.empty() && (o.min_confidence >= 0 || !o.plot.empty())) return run_evaluate_stored(ctx, o);
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
    if (!o.plot.empty()) write_plots(ctx, evaluation, o.plot);
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
                           << config.value("image_size", 0) << " px, " << config.value("epochs", 0) << " epochs\n\n";
                 if (!evaluation.empty()) print_evaluation(evaluation);
             });
}

}  // namespace

void add_model_commands(CLI::App& app, Context& ctx) {
    auto t = std::make_shared<TrainOptions>();
    auto* train = app.add_subcommand("train", "train a detector or classifier on a project's datasets (automatic by default)");
    train->add_option("project", t->project, "project name or ARN")->required();
    train->add_option("--version-name", t->version_name, "name of the new model version");
    train->add_flag("--resume", t->resume, "continue the project's interrupted training");
    train->add_option("--epochs", t->config.epochs, "epochs (default: from dataset size)");
    train->add_option("--image-size", t->config.image_size, "input size in pixels, multiple of 32 (default: from object sizes)")
        ->check(CLI::Range(64, 1536));
    train->add_option("--batch", t->config.batch, "images per step")->check(CLI::Range(1, 256))->capture_default_str();
    train->add_option("--lr", t->config.lr, "learning rate of the pretrained layers (default 1e-4; the new head learns 5x faster)");
    train->add_flag("--freeze-backbone", t->config.freeze_backbone, "train only the neck and heads");
    train->add_option("--augment", t->config.augment, "none, light, strong or auto")
        ->check(CLI::IsMember({"none", "light", "strong", "auto"}))
        ->capture_default_str();
    train->add_option("--seed", t->config.seed, "random seed (same seed and threads: same model)")->capture_default_str();
    train->add_option("--threads", t->config.threads, "CPU threads (default: all cores)");
    train->add_option("--fold-in-epochs", t->config.fold_in_epochs,
                      "last epochs that also train on the validation images (default: a quarter)")
        ->check(CLI::Range(0, 1000));
    train->add_option("--head-start", t->config.head_start,
                      "auto: a detector's labels start from the COCO class that detects them best, a classifier's "
                      "head is fitted on the frozen features first; fresh: random")
        ->check(CLI::IsMember({"auto", "fresh"}))
        ->capture_default_str();
    train->add_flag("--flip-test,!--no-flip-test", t->config.flip_test,
                    "also average each image with its mirror image at inference (twice the latency)");
    train->add_option("--tile-fraction", t->config.tile_fraction,
                      "small objects: train and detect on tiles of this share of the image's longer side, 0.1-1 "
                      "(0: whole images; default: from object sizes)")
        ->check([](const std::string& text) {
            double v = -1;
            try {
                v = std::stod(text);
            } catch (const std::exception&) {
            }
            return v == 0 || (v >= 0.1 && v <= 1) ? std::string() : "expected 0 or a share from 0.1 to 1";
        });
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
    evaluate->add_option("--min-confidence", e->min_confidence,
                         "precision/recall/F1 of the test dataset at this confidence (0-100), from the stored "
                         "predictions: no model run")
        ->check(CLI::Range(0.0, 100.0));
    evaluate->add_option("--plot", e->plot, "write reliability.png and pr-LABEL.png into this folder");
    evaluate->callback([&ctx, e] { run_evaluate(ctx, *e); });

    auto d = std::make_shared<std::pair<std::string, std::string>>();
    auto* describe = app.add_subcommand("describe", "model versions of a project, or one version's evaluation");
    describe->add_option("project", d->first, "project name or ARN")->required();
    describe->add_option("--version", d->second, "version name or ARN");
    describe->callback([&ctx, d] { run_describe(ctx, d->first, d->second); });
}

}  // namespace apiary::cli
