#pragma once
// The console's own JSON endpoints, for what the Rekognition and S3 operations lack: thumbnails,
// the last import's rejected lines, a seeded re-split, training progress and cancel, the stored
// evaluation, idle running models and the event pipelines. Each is a thin call into the same
// library the CLI uses; none holds a business rule of its own. See console/README.md.
#include <mutex>
#include <string>
#include <string_view>

#include "core/json.h"
#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"
#include "pipeline/review_queue.h"
#include "service/http_message.h"
#include "store/data_dir.h"

namespace apiary::service {

class RekognitionApi;

struct ConsoleSettings {
    int64_t idle_warning_ms = 60 * 60 * 1000;  // a RUNNING model unused this long gets a warning
};

class ConsoleEndpoints {
public:
    ConsoleEndpoints(const store::DataDir& dir, RekognitionApi& rekognition, ConsoleSettings settings = {});

    // `route` is the path below /console/api/ ("thumbnail", "pipelines/x/pause"); `who` the
    // signed-in access key id. Answers JSON (errors as {"message"} with their status) or, for
    // thumbnails, a JPEG.
    void handle(const HttpRequest& request, std::string_view route, const std::string& body, HttpResponse& response,
                const std::string& who = "");

private:
    Json dispatch(const HttpRequest& request, std::string_view route, const Json& body, HttpResponse& response,
                  const std::string& who);
    void thumbnail(const HttpRequest& request, HttpResponse& response);
    Json import_report(const HttpRequest& request);
    Json split(const Json& body);
    Json training();
    Json cancel_training(const Json& body);
    Json evaluation(const HttpRequest& request);
    Json running_models();
    Json pipelines(const HttpRequest& request, std::string_view route, const Json& body);
    // Labelling (console_labelling.cpp)
    Json entry(const HttpRequest& request);
    Json entry_pictures(const Json& body);
    Json save_entry(const Json& body);
    Json relabel(std::string_view action, const Json& body);
    Json detect_entry(const Json& body);
    // The evaluation explorer, from the stored predictions (console_explorer.cpp)
    Json evaluation_at(const HttpRequest& request);
    Json evaluation_images(const HttpRequest& request);
    // The review loop (console_reviews.cpp)
    Json reviews(const HttpRequest& request, std::string_view route, const Json& body, const std::string& who);

    store::DataDir dir_;
    RekognitionApi& rekognition_;
    ConsoleSettings settings_;
    std::mutex pipelines_mutex_;  // one connection each, many request threads
    pipeline::PipelineStore pipeline_store_;
    pipeline::SqliteQueue queue_;
    pipeline::ReviewQueue reviews_;
};

}  // namespace apiary::service
