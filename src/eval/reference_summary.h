#pragma once
// The reference service's evaluation summary file (EvaluationResultSummary-*.json): what a
// trained version writes beside its model, and what DescribeProjectVersions points to.
#include <cstddef>
#include <string>

#include "core/json.h"
#include "eval/evaluation.h"

namespace apiary::eval {

// {"Version":1,"EvaluationDetails":{...},"AggregatedEvaluationResults":{F1Score, Precision,
// Recall, AverageRecall, AveragePrecision},"LabelEvaluationResults":[...]}
Json reference_summary(const Evaluation& ev, const std::string& version_arn, size_t training_images,
                       size_t testing_images);

// AverageRecall, as the reference's summary has it: the mean of the labels' recalls at their
// assumed thresholds. Added to a summary written before Apiary wrote it (a no-op otherwise).
void add_average_recall(Json& summary);

}  // namespace apiary::eval
