// apiary review list|show: the pipeline results waiting for a person (pipeline/review_queue.h);
// they are accepted or rejected in the web console.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/context.h"
#include "cli/table.h"
#include "pipeline/review_queue.h"

namespace apiary::cli {

namespace {

struct ReviewOptions {
    std::string state = "pending", pipeline;
    int64_t id = 0;
};

}  // namespace

void add_review_commands(CLI::App& app, Context& ctx) {
    auto* review = app.add_subcommand("review", "pipeline results queued for a person to check (review bands)");
    review->require_subcommand(1);
    auto queue = [&ctx] { return pipeline::ReviewQueue(store::DataDir::resolve(ctx.data_dir_flag)); };
    auto o = std::make_shared<ReviewOptions>();

    auto* list = review->add_subcommand("list", "reviews, newest first, with the counts per state");
    list->add_option("--state", o->state, "pending, accepted, rejected or all")
        ->check(CLI::IsMember({"pending", "accepted", "rejected", "all"}))
        ->capture_default_str();
    list->add_option("--pipeline", o->pipeline, "only this pipeline's");
    list->callback([&ctx, o, queue] {
        auto q = queue();
        const auto reviews = q.list(o->state == "all" ? "" : o->state, o->pipeline);
        const auto counts = q.counts(o->pipeline);
        Json j = {{"Pending", counts.pending}, {"Accepted", counts.accepted}, {"Rejected", counts.rejected},
                  {"Reviews", Json::array()}};
        Table t({"ID", "PIPELINE", "OBJECT", "BEST", "STATE", "REVIEWER"});
        for (const auto& r : reviews) {
            j["Reviews"].push_back(r.to_json());
            t.add({std::to_string(r.id), r.pipeline, "s3://" + r.bucket + "/" + r.key, format_number(r.best_confidence) + "%",
                   r.state, r.reviewer});
        }
        ctx.emit(j, [&] {
            t.print(std::cout);
            std::cout << counts.pending << " pending, " << counts.accepted << " accepted, " << counts.rejected
                      << " rejected\n";
        });
    });

    auto* show = review->add_subcommand("show", "one review: its object, model, confidence and who decided");
    show->add_option("id", o->id, "review id")->required();
    show->callback([&ctx, o, queue] {
        const auto r = queue().get(o->id);
        ctx.emit(r.to_json(), [&] {
            std::cout << "review " << r.id << " (" << r.state << ")\n  object  s3://" << r.bucket << "/" << r.key
                      << "\n  result  s3://" << r.bucket << "/" << r.key << ".json\n  model   " << r.model
                      << "\n  best    " << format_number(r.best_confidence) << "%\n  queued  " << format_time_ms(r.created_ms)
                      << "\n";
            if (!r.reviewer.empty())
                std::cout << "  decided by " << r.reviewer << " at " << format_time_ms(r.reviewed_ms) << "\n";
        });
    });
}

}  // namespace apiary::cli
