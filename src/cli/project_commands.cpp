// apiary project create|list|describe|delete
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/table.h"

namespace apiary::cli {
namespace {

Json project_json(const store::ProjectInfo& p, store::Catalog& catalog) {
    Json datasets = Json::array();
    for (const auto& d : catalog.datasets(p))
        datasets.push_back({{"DatasetType", d.type == "train" ? "TRAIN" : "TEST"},
                            {"DatasetArn", d.arn},
                            {"Entries", d.entries},
                            {"CreationTimestamp", d.created_ms / 1000.0}});
    return {{"ProjectName", p.name},
            {"ProjectArn", p.arn},
            {"CreationTimestamp", p.created_ms / 1000.0},
            {"Status", "CREATED"},
            {"Datasets", datasets}};
}

}  // namespace

void add_project_commands(CLI::App& app, Context& ctx) {
    auto* project = app.add_subcommand("project", "create, list, describe and delete projects");
    project->require_subcommand(1);

    // Options live as long as the callbacks that read them.
    auto name = std::make_shared<std::string>();
    auto* create = project->add_subcommand("create", "create a project");
    create->add_option("name", *name, "project name (letters, digits, '_', '.', '-')")->required();
    create->callback([&ctx, name] {
        const auto p = ctx.catalog().create_project(*name);
        ctx.emit({{"ProjectArn", p.arn}}, [&] { std::cout << "created project " << p.name << "\n  " << p.arn << "\n"; });
    });

    auto* list = project->add_subcommand("list", "list projects");
    list->callback([&ctx] {
        auto& catalog = ctx.catalog();
        const auto projects = catalog.list_projects();
        Json all = Json::array();
        for (const auto& p : projects) all.push_back(project_json(p, catalog));
        ctx.emit({{"ProjectDescriptions", all}}, [&] {
            Table t({"NAME", "CREATED", "DATASETS", "ARN"});
            for (const auto& p : projects)
                t.add({p.name, format_time_ms(p.created_ms), std::to_string(catalog.datasets(p).size()), p.arn});
            t.print(std::cout);
        });
    });

    auto* describe = project->add_subcommand("describe", "show a project and its datasets");
    describe->add_option("name", *name, "project name or ARN")->required();
    describe->callback([&ctx, name] {
        auto& catalog = ctx.catalog();
        const auto p = catalog.project(*name);
        ctx.emit(project_json(p, catalog), [&] {
            std::cout << "project " << p.name << "\n  arn      " << p.arn << "\n  created  "
                      << format_time_ms(p.created_ms) << "\n";
            Table t({"DATASET", "ENTRIES", "TASK", "UPDATED", "ARN"});
            for (const auto& d : catalog.datasets(p))
                t.add({d.type, std::to_string(d.entries), data::to_string(d.task), format_time_ms(d.updated_ms), d.arn});
            std::cout << "\n";
            t.print(std::cout);
        });
    });

    auto* remove = project->add_subcommand("delete", "delete a project with its datasets and models");
    remove->add_option("name", *name, "project name or ARN")->required();
    remove->callback([&ctx, name] {
        const auto p = ctx.catalog().project(*name);
        ctx.catalog().delete_project(p.arn);
        ctx.emit({{"ProjectArn", p.arn}, {"Status", "DELETING"}}, [&] { std::cout << "deleted project " << p.name << "\n"; });
    });
}

}  // namespace apiary::cli
