#pragma once
// A trained version's evaluation as it was stored with the model — the test detections with
// their matches (predictions.json) and the assumed thresholds (model.json) — for answers at
// any threshold and per-image pictures without loading or running the network.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"
#include "eval/predictions.h"
#include "store/catalog.h"

namespace apiary::train {

struct StoredEvaluation {
    store::VersionInfo version;
    eval::StoredPredictions predictions;
    std::map<std::string, double> thresholds;  // the model's assumed thresholds, 0..1
    Json evaluation;                           // evaluation.json

    // evaluation.json's shape at one threshold for every label (unset: the assumed ones).
    Json at(std::optional<double> min_confidence) const;
    // The test image named by its source-ref, or by a file name only one test image has.
    const eval::StoredImage& image(const std::string& name) const;
};

// `version`: name or ARN; empty: the newest trained. Error naming the file when the version has
// no stored predictions (trained before they were kept: evaluate it again with `apiary evaluate`).
StoredEvaluation load_stored_evaluation(store::Catalog& catalog, const std::string& project, const std::string& version);

}  // namespace apiary::train
