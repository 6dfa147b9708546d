#pragma once
// Each file registers one group of subcommands on the root app.
#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace apiary::cli {

void add_project_commands(CLI::App& app, Context& ctx);
void add_dataset_commands(CLI::App& app, Context& ctx);
void add_demo_commands(CLI::App& app, Context& ctx);
void add_model_commands(CLI::App& app, Context& ctx);
void add_compare_commands(CLI::App& app, Context& ctx);
void add_review_commands(CLI::App& app, Context& ctx);
void add_detect_commands(CLI::App& app, Context& ctx);
void add_serve_commands(CLI::App& app, Context& ctx);
void add_pipeline_commands(CLI::App& app, Context& ctx);

}  // namespace apiary::cli
