#pragma once
// Running a classifier over labelled entries and scoring it: the detector's evaluation on
// whole-image cases (eval/classification.h) plus accuracy, macro F1 and the confusion matrix,
// and the reference summary with its ConfusionMatrix.
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"
#include "eval/classification.h"
#include "nn/classifier.h"
#include "train/model_evaluation.h"

namespace apiary::train {

struct ClassifierEvaluation {
    NetworkEvaluation network;            // per label P/R/F1/AP, stored predictions
    eval::ClassificationMetrics metrics;  // accuracy, macro F1, confusion matrix

    // evaluation.json: Evaluation::to_json() with "task", "classification" (metrics) and
    // "overall" gaining "accuracy" and "macro_f1".
    Json to_json() const;
};

// `setup.labels` in the network's order; calibration and fixed thresholds as for detectors.
ClassifierEvaluation evaluate_classifier(nn::ClassifierImpl& net, const std::vector<data::Entry>& entries,
                                         const EvaluationSetup& setup);

// eval::reference_summary() with AggregatedEvaluationResults.ConfusionMatrix (single-label).
Json classification_summary(const ClassifierEvaluation& ev, const std::string& version_arn, size_t training_images,
                            size_t testing_images);

}  // namespace apiary::train
