// apiary dataset import|describe|list-entries|list-labels|split|export|delete
#include <algorithm>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/table.h"
#include "core/arn.h"
#include "core/error.h"
#include "core/files.h"
#include "data/export.h"
#include "data/import.h"
#include "data/rejected_lines.h"
#include "store/resplit.h"
#include "data/statistics.h"

namespace apiary::cli {
namespace fs = std::filesystem;
namespace {

struct DatasetOptions {
    std::string project;
    std::string source;
    std::string format = "auto";
    std::vector<std::string> maps;
    std::string dataset;  // "train", "test" or empty (both / as the source says)
    std::string report;
    std::string out = "-";
    std::string label;
    size_t limit = 0;
    double test_percent = 20;
    uint64_t seed = 1;
    int max_boxes = data::ValidationLimits{}.max_boxes;
    bool strict = false;
    bool local_paths = false;
    bool has_errors = false;
};

// The datasets a command acts on: the one named with --dataset, else all the project has.
std::vector<store::DatasetInfo> selected(store::Catalog& catalog, const store::ProjectInfo& p,
                                         const std::string& type) {
    if (!type.empty()) return {catalog.dataset(p, type)};
    auto all = catalog.datasets(p);
    if (all.empty()) throw NotFound("project '" + p.name + "' has no datasets yet; run 'apiary dataset import'");
    return all;
}

fs::path write_report(const DatasetOptions& o, const store::Catalog& catalog, const data::ImportReport& report) {
    const fs::path path = o.report.empty()
                              ? catalog.dir().reports() / (o.project + "-import-" + std::to_string(now_ms()) + ".jsonl")
                              : fs::path(o.report);
    std::string text;
    for (const auto& issue : report.issues) text += issue.to_json().dump() + "\n";
    write_file_atomic(path, text);
    return fs::absolute(path);
}

void run_import(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    data::ImportOptions options;
    const auto format = data::parse_format(o.format);
    if (!format) throw Error(Location{"", 0, "--format"}, "unknown format '" + o.format + "'");
    options.format = *format;
    for (const auto& m : o.maps) options.maps.push_back(data::PathMapping::parse(m));
    if (o.max_boxes < 1 || o.max_boxes > data::ValidationLimits::kMaxBoxesCeiling)
        throw Error(Location{"", 0, "--max-boxes"},
                    "must be between 1 and " + std::to_string(data::ValidationLimits::kMaxBoxesCeiling) + " (got " +
                        std::to_string(o.max_boxes) + "): a model decodes at most " +
                        std::to_string(2 * data::ValidationLimits::kMaxBoxesCeiling) + " objects per image");
    options.limits.max_boxes = o.max_boxes;

    const auto report = data::import_dataset(o.source, options);
    const fs::path report_path = write_report(o, catalog, report);
    const std::optional<std::string> type = o.dataset.empty() ? std::nullopt : std::optional(o.dataset);
    const auto summary = catalog.import(project, report, type, report_path.string());
    // A manifest's rejected lines stay with the dataset, with their errors, as the API keeps them.
    const auto format_read = options.format == data::Format::Auto ? data::detect_format(o.source) : options.format;
    if (format_read == data::Format::GroundTruth)
        if (const auto rejected = data::rejected_lines(read_file(o.source), report.issues); !rejected.empty())
            if (const auto d = catalog.find_dataset(project, type.value_or("train")))
                catalog.set_rejected(*d, rejected);

    std::map<std::string, int> by_code;
    for (const auto& i : report.issues) ++by_code[i.code];
    Json issues = Json::array();
    for (const auto& i : report.issues) issues.push_back(i.to_json());
    Json codes = Json::object();
    for (const auto& [code, n] : by_code) codes[code] = n;
    ctx.emit({{"Source", o.source},
              {"Format", data::to_string(format_read)},
              {"Task", data::to_string(report.task)},
              {"Records", report.records},
              {"Imported", report.entries.size()},
              {"Added", summary.added},
              {"Updated", summary.updated},
              {"Train", summary.to_train},
              {"Test", summary.to_test},
              {"Rejected", report.rejected()},
              {"IssuesByCode", codes},
              {"Report", report_path.string()},
              {"Issues", issues}},
             [&] {
                 std::cout << "imported " << report.entries.size() << " of " << report.records << " records from "
                           << o.source << " (" << data::to_string(report.task) << ")\n"
                           << "  train " << summary.to_train << ", test " << summary.to_test << "; new "
                           << summary.added << ", updated " << summary.updated << "\n"
                           << "  rejected " << report.rejected() << ", issues " << report.issues.size() << "\n";
                 for (const auto& [code, n] : by_code) std::cout << "    " << code << ": " << n << "\n";
                 const size_t shown = std::min<size_t>(report.issues.size(), 20);
                 for (size_t i = 0; i < shown; ++i) std::cout << "  " << report.issues[i].str() << "\n";
                 if (shown < report.issues.size())
                     std::cout << "  ... " << report.issues.size() - shown << " more\n";
                 std::cout << "  report: " << report_path.string() << "\n";
             });
    if (o.strict && !report.issues.empty()) throw Error("--strict: the source has " + std::to_string(report.issues.size()) + " issue(s)");
}

std::string spread_text(const data::Spread& s, int decimals = 0) {
    return format_number(s.min, decimals) + " / " + format_number(s.median, decimals) + " / " +
           format_number(s.max, decimals);
}

void run_describe(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    Json out = Json::array();
    for (const auto& d : selected(catalog, project, o.dataset)) {
        const auto stats = data::compute_stats(catalog.entries(d));
        out.push_back({{"DatasetArn", d.arn},
                       {"DatasetType", d.type},
                       {"Task", data::to_string(d.task)},
                       {"CreationTimestamp", d.created_ms / 1000.0},
                       {"LastUpdatedTimestamp", d.updated_ms / 1000.0},
                       {"ErrorEntries", d.last_import_errors},
                       {"LastImportReport", d.last_import_report},
                       {"Statistics", stats.to_json()}});
        if (ctx.json) continue;
        std::cout << d.type << " dataset of " << project.name << "  (" << d.arn << ")\n"
                  << "  images " << stats.images << ", labelled " << stats.labelled_images << ", boxes "
                  << stats.boxes << ", errors in last import " << d.last_import_errors << "\n"
                  << "  image width  min/median/max  " << spread_text(stats.image_width) << "\n"
                  << "  image height min/median/max  " << spread_text(stats.image_height) << "\n";
        if (stats.boxes > 0)
            std::cout << "  box width    min/median/max  " << spread_text(stats.box_width) << "\n"
                      << "  box height   min/median/max  " << spread_text(stats.box_height) << "\n"
                      << "  box size / image size        " << spread_text(stats.box_relative_size, 3) << "\n";
        Table t({"LABEL", "IMAGES", "BOXES"});
        for (const auto& [name, c] : stats.labels) t.add({name, std::to_string(c.images), std::to_string(c.boxes)});
        t.print(std::cout);
        std::cout << "\n";
    }
    if (ctx.json) print_json({{"DatasetDescriptions", out}});
}

void run_list_entries(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    Json lines = Json::array();
    if (o.has_errors) {  // the manifest lines an import left out, each with its "errors"
        Table t({"DATASET", "SOURCE", "ERRORS"});
        for (const auto& d : selected(catalog, project, o.dataset))
            for (const auto& line : catalog.rejected(d)) {
                if (o.limit && lines.size() >= o.limit) break;
                const Json j = Json::parse(line);
                std::string codes;
                for (const auto& e : j.value("errors", Json::array()))
                    codes += (codes.empty() ? "" : ",") + e.value("code", std::string("?"));
                t.add({d.type, j.value("source-ref", std::string()), codes});
                lines.push_back(line);
            }
        ctx.emit({{"DatasetEntries", lines}}, [&] { t.print(std::cout); });
        return;
    }
    Table t({"DATASET", "IMAGE", "SIZE", "LABELS", "SOURCE"});
    size_t shown = 0;
    for (const auto& d : selected(catalog, project, o.dataset)) {
        for (const auto& e : catalog.entries(d)) {
            const auto labels = e.all_labels();
            if (!o.label.empty() && std::find(labels.begin(), labels.end(), o.label) == labels.end()) continue;
            if (o.limit && shown >= o.limit) break;
            ++shown;
            lines.push_back(data::to_manifest_line(e, d.task));
            std::string names;
            for (const auto& l : labels) names += (names.empty() ? "" : ",") + l;
            t.add({d.type, e.sha256.substr(0, 12),
                   std::to_string(e.image.width) + "x" + std::to_string(e.image.height),
                   names + (e.objects.empty() ? "" : " (" + std::to_string(e.objects.size()) + " boxes)"),
                   e.source_ref});
        }
    }
    ctx.emit({{"DatasetEntries", lines}}, [&] { t.print(std::cout); });
}

void run_list_labels(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    Json out = Json::array();
    Table t({"DATASET", "LABEL", "IMAGES", "BOXES"});
    for (const auto& d : selected(catalog, project, o.dataset))
        for (const auto& l : catalog.labels(d)) {
            out.push_back({{"DatasetType", d.type},
                           {"LabelName", l.label},
                           {"LabelStats", {{"EntryCount", l.images}, {"BoundingBoxCount", l.boxes}}}});
            t.add({d.type, l.label, std::to_string(l.images), std::to_string(l.boxes)});
        }
    ctx.emit({{"DatasetLabelDescriptions", out}}, [&] { t.print(std::cout); });
}

void run_split(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    const auto counts = store::resplit_project(catalog, project, o.test_percent, o.seed);
    ctx.emit({{"Train", counts.train}, {"Test", counts.test}, {"Seed", o.seed}, {"TestPercent", o.test_percent}}, [&] {
        std::cout << "split " << counts.train + counts.test << " entries of " << project.name << ": train " << counts.train
                  << ", test " << counts.test << " (seed " << o.seed << ")\n";
    });
}

void run_export(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(o.project);
    const auto d = catalog.dataset(project, o.dataset.empty() ? "train" : o.dataset);
    const auto entries = catalog.entries(d);
    std::ostringstream text;
    data::ExportOptions options;
    if (o.local_paths) options.source_ref = data::ExportOptions::SourceRef::LocalCopy;
    data::write_manifest(text, entries, d.task, options);
    if (o.out == "-") {
        std::cout << text.str();
        return;
    }
    write_file_atomic(o.out, text.str());
    if (!ctx.json) std::cerr << "exported " << entries.size() << " entries to " << o.out << "\n";
}

void run_delete(Context& ctx, const DatasetOptions& o) {
    auto& catalog = ctx.catalog();
    const auto d = catalog.dataset(catalog.project(o.project), o.dataset);
    catalog.delete_dataset(d);
    ctx.emit({{"DatasetArn", d.arn}, {"Status", "DELETE_COMPLETE"}},
             [&] { std::cout << "deleted " << d.type << " dataset of " << o.project << "\n"; });
}

}  // namespace

void add_dataset_commands(CLI::App& app, Context& ctx) {
    auto* dataset = app.add_subcommand("dataset", "import, inspect, split and export datasets");
    dataset->require_subcommand(1);
    auto o = std::make_shared<DatasetOptions>();
    const std::vector<std::string> types = {"train", "test"};

    auto sub = [&](const char* name, const char* help, void (*run)(Context&, const DatasetOptions&)) {
        auto* cmd = dataset->add_subcommand(name, help);
        cmd->add_option("project", o->project, "project name or ARN")->required();
        cmd->callback([&ctx, o, run] { run(ctx, *o); });
        return cmd;
    };

    auto* import = sub("import", "import a labelled dataset (Ground Truth manifest, VOC, COCO, YOLO, folders)", run_import);
    import->add_option("--manifest,--source", o->source, "manifest file or dataset folder")->required();
    import->add_option("--format", o->format, "auto, groundtruth, voc, coco, yolo or folder")->capture_default_str();
    import->add_option("--map", o->maps, "rewrite source-refs: s3://bucket/prefix=DIR (repeatable)");
    import->add_option("--dataset", o->dataset, "put every entry into this dataset (default: train, or as the source's split says)")
        ->check(CLI::IsMember(types));
    import->add_option("--report", o->report, "write the issue report (JSON Lines) here");
    import->add_option("--max-boxes", o->max_boxes,
                       "reject images with more boxes (1-" + std::to_string(data::ValidationLimits::kMaxBoxesCeiling) +
                           "; over " + std::to_string(data::ValidationLimits::kReferenceMaxBoxes) +
                           " is kept with a many-boxes issue, as the reference service refuses it)")
        ->capture_default_str();
    import->add_flag("--strict", o->strict, "exit non-zero when any record had an issue");

    sub("describe", "images, labels, boxes and size statistics", run_describe)
        ->add_option("--dataset", o->dataset, "train or test (default: both)")
        ->check(CLI::IsMember(types));

    auto* entries = sub("list-entries", "list dataset entries", run_list_entries);
    entries->add_option("--dataset", o->dataset, "train or test (default: both)")->check(CLI::IsMember(types));
    entries->add_option("--label", o->label, "only entries with this label");
    entries->add_option("--limit", o->limit, "at most this many entries");
    entries->add_flag("--has-errors", o->has_errors,
                      "the manifest lines an import left out instead, each with its errors (as ListDatasetEntries "
                      "with HasErrors)");

    sub("list-labels", "labels with image and box counts", run_list_labels)
        ->add_option("--dataset", o->dataset, "train or test (default: both)")
        ->check(CLI::IsMember(types));

    auto* split = sub("split", "re-split all entries into train and test, stratified by label", run_split);
    split->add_option("--test-percent", o->test_percent, "share of images for the test dataset")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    split->add_option("--seed", o->seed, "random seed; the same seed gives the same split")->capture_default_str();

    auto* exp = sub("export", "export a dataset as a Ground Truth manifest", run_export);
    exp->add_option("--dataset", o->dataset, "train or test (default: train)")->check(CLI::IsMember(types));
    exp->add_option("--out,-o", o->out, "output file ('-' for stdout)")->capture_default_str();
    exp->add_flag("--local-paths", o->local_paths,
                  "source-refs name Apiary's copies of the images (absolute paths that import again on this "
                  "machine) instead of the references they were imported with");

    sub("delete", "delete the train or test dataset of a project", run_delete)
        ->add_option("--dataset", o->dataset, "train or test")
        ->required()
        ->check(CLI::IsMember(types));
}

}  // namespace apiary::cli
