// apiary compare PROJECT V1 V2 [--html FILE]: two model versions side by side, from their
// stored predictions (train/version_comparison.h).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/table.h"
#include "core/files.h"
#include "train/version_comparison.h"

namespace apiary::cli {

namespace {

struct CompareOptions {
    std::string project, a, b, html;
};

void run_compare(Context& ctx, const CompareOptions& o) {
    auto& catalog = ctx.catalog();
    const auto c = train::compare_versions(catalog, o.project, o.a, o.b);
    if (!o.html.empty()) write_file_atomic(o.html, train::comparison_html(catalog, c));
    ctx.emit(c.to_json(), [&] {
        Table t({"LABEL", "F1 " + c.a.version.name, "F1 " + c.b.version.name, "AP50 " + c.a.version.name,
                 "AP50 " + c.b.version.name});
        const auto find = [](const Json& e, const std::string& label) -> const Json* {
            for (const auto& l : e.at("labels"))
                if (l.at("label") == label) return &l;
            return nullptr;
        };
        for (const auto& label : c.a.predictions.labels) {
            const Json* la = find(c.a.evaluation, label);
            const Json* lb = find(c.b.evaluation, label);
            const auto f1 = [](const Json* l) { return l ? format_number(l->at("assumed").at("f1"), 3) : "-"; };
            const auto ap = [](const Json* l) { return l ? format_number(l->value("ap50", 0.0), 3) : "-"; };
            t.add({label, f1(la), f1(lb), ap(la), ap(lb)});
        }
        t.add({"overall", format_number(c.a.evaluation.at("overall").at("f1"), 3),
               format_number(c.b.evaluation.at("overall").at("f1"), 3),
               format_number(c.a.evaluation.at("overall").value("ap50", 0.0), 3),
               format_number(c.b.evaluation.at("overall").value("ap50", 0.0), 3)});
        t.print(std::cout);
        std::cout << c.disagreements.size() << " of " << c.a.predictions.images.size()
                  << " test images come out differently at each version's assumed thresholds";
        if (!o.html.empty()) std::cout << "; report: " << o.html;
        std::cout << "\n";
    });
}

}  // namespace

void add_compare_commands(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<CompareOptions>();
    auto* compare = app.add_subcommand("compare", "compare two model versions on the test dataset (stored predictions)");
    compare->add_option("project", o->project, "project name or ARN")->required();
    compare->add_option("version_a", o->a, "first version (name or ARN)")->required();
    compare->add_option("version_b", o->b, "second version (name or ARN)")->required();
    compare->add_option("--html", o->html, "also write the comparison as one self-contained HTML file");
    compare->callback([&ctx, o] { run_compare(ctx, *o); });
}

}  // namespace apiary::cli
