// apiary: custom-label vision models on your own hardware.
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
    // First of all: everything Apiary creates (the database with its access keys, blobs, models,
    // reports) is the owner's alone, whatever umask the shell had.
    ::umask(077);
    using namespace apiary;
    CLI::App app{"apiary: train and serve custom-label object detectors on your own hardware"};
    app.require_subcommand(1);
    app.fallthrough();  // global flags (--json, --data-dir) may follow the subcommand
    app.set_version_flag("--version", "apiary 0.1.0");
    cli::Context ctx;
    app.add_option("--data-dir", ctx.data_dir_flag, "data directory (default $APIARY_DATA_DIR or ./apiary-data)");
    app.add_flag("--json", ctx.json, "print machine-readable JSON");
    cli::add_project_commands(app, ctx);
    cli::add_dataset_commands(app, ctx);
    cli::add_demo_commands(app, ctx);
    cli::add_model_commands(app, ctx);
    cli::add_compare_commands(app, ctx);
    cli::add_review_commands(app, ctx);
    cli::add_detect_commands(app, ctx);
    cli::add_serve_commands(app, ctx);
    cli::add_pipeline_commands(app, ctx);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const NotFound& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 3;
    } catch (const Conflict& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 4;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
