#pragma once
// A trained classifier becomes a model version: evaluated on the test set, then stored as the
// detector's versions are (infer/model_artifact.h) with model.json saying its task.
#include <vector>

#include "data/entry.h"
#include "store/catalog.h"
#include "train/classifier_trainer.h"
#include "train/project_training.h"

namespace apiary::train {

void publish_classifier(const store::VersionInfo& version, ClassifierOutcome& outcome, const TrainingData& data,
                        bool multi_label, const TrainConfig& config, const std::vector<data::Entry>& train_entries,
                        const std::vector<data::Entry>& test_entries, TrainSummary& result);

}  // namespace apiary::train
