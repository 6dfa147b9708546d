#include "train/classifier_publish.h"

#include "core/arn.h"
#include "infer/model_artifact.h"
#include "train/classifier_evaluation.h"
#include "train/run_outcome.h"

namespace apiary::train {

void publish_classifier(const store::VersionInfo& version, ClassifierOutcome& outcome, const TrainingData& data,
                        bool multi_label, const TrainConfig& config, const std::vector<data::Entry>& train_entries,
                        const std::vector<data::Entry>& test_entries, TrainSummary& result) {
    EvaluationSetup setup{data.labels, config.image_size, false, {}, 1, outcome.calibration};
    const ClassifierEvaluation tested = evaluate_classifier(*outcome.net, test_entries, setup);
    result.evaluation = tested.to_json();

    infer::ModelManifest manifest;
    manifest.architecture = infer::ModelManifest::kClassifierArchitecture;
    manifest.task = multi_label ? "multi-label-classification" : "classification";
    manifest.labels = data.labels;
    manifest.input_size = config.image_size;
    manifest.thresholds = tested.network.evaluation.thresholds();
    manifest.max_detections = int(data.labels.size());
    manifest.calibration = outcome.calibration;
    manifest.training = training_record(config, outcome, result);
    manifest.dataset_hash = dataset_hash(train_entries, test_entries);
    manifest.created_ms = now_ms();
    manifest.metrics = result.evaluation["overall"];
    const Json summary = classification_summary(tested, version.arn, train_entries.size(), test_entries.size());
    infer::save_model(version.dir, outcome.net, manifest,
                      {{"evaluation.json", result.evaluation.dump(2)},
                       {"evaluation-summary.json", summary.dump(2)},
                       {"predictions.json", tested.network.predictions.to_json().dump()},
                       {"history.json", outcome.history.dump(2)}});
}

}  // namespace apiary::train
