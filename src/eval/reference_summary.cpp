#include "eval/reference_summary.h"

#include <ctime>

namespace apiary::eval {

Json reference_summary(const Evaluation& ev, const std::string& version_arn, size_t training_images,
                       size_t testing_images) {
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    Json labels = Json::array(), names = Json::array();
    for (const auto& m : ev.labels) {
        names.push_back(m.label);
        labels.push_back({{"Label", m.label},
                          {"NumberOfTestingImages", m.test_images},
                          {"Metrics",
                           {{"F1Score", m.assumed.f1},
                            {"Precision", m.assumed.precision},
                            {"Recall", m.assumed.recall},
                            {"Threshold", m.assumed.threshold},
                            {"AveragePrecision", m.ap50}}}});
    }
    Json summary = {{"Version", 1},
                    {"EvaluationDetails",
                     {{"EvaluationEndTimestamp", when},
                      {"Labels", names},
                      {"NumberOfTrainingImages", training_images},
                      {"NumberOfTestingImages", testing_images},
                      {"ProjectVersionArn", version_arn}}},
                    {"AggregatedEvaluationResults",
                     {{"F1Score", ev.f1}, {"Precision", ev.precision}, {"Recall", ev.recall}, {"AveragePrecision", ev.ap50}}},
                    {"LabelEvaluationResults", labels}};
    add_average_recall(summary);
    return summary;
}

void add_average_recall(Json& summary) {
    if (!summary.is_object() || !summary.contains("AggregatedEvaluationResults")) return;
    Json& aggregated = summary["AggregatedEvaluationResults"];
    if (!aggregated.is_object() || aggregated.contains("AverageRecall")) return;
    double sum = 0;
    size_t n = 0;
    for (const auto& label : summary.value("LabelEvaluationResults", Json::array()))
        if (label.contains("Metrics") && label["Metrics"].contains("Recall") && label["Metrics"]["Recall"].is_number()) {
            sum += label["Metrics"]["Recall"].get<double>();
            ++n;
        }
    aggregated["AverageRecall"] = n ? sum / static_cast<double>(n) : 0.0;
}

}  // namespace apiary::eval
