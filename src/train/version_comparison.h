#pragma once
// Two model versions of a project side by side, as the reference post compares the managed and
// the DIY model: metrics per label at each version's assumed thresholds, both PR curves, and
// the test images where they disagree — all from the stored predictions, no model run.
// `apiary compare` prints it or writes it as one self-contained HTML file.
#include <string>
#include <vector>

#include "core/json.h"
#include "store/catalog.h"
#include "train/stored_evaluation.h"

namespace apiary::train {

struct ImageDisagreement {
    std::string image;                     // the test image's source-ref
    std::vector<eval::JudgedBox> a, b;     // each version's boxes at its own thresholds
    int wrong_a = 0, wrong_b = 0;          // FP + FN
};

struct VersionComparison {
    StoredEvaluation a, b;  // each with its evaluation.json (metrics at its assumed thresholds)
    std::vector<ImageDisagreement> disagreements;  // most different first

    Json to_json() const;
};

// Error when the versions were evaluated on different test images (the project's test set
// changed between them): their figures would not be comparable.
VersionComparison compare_versions(store::Catalog& catalog, const std::string& project, const std::string& version_a,
                                   const std::string& version_b);

// A standalone HTML page (inline SVG curves, the disagreeing images embedded as JPEG, up to
// `max_images` of them); every name in it is escaped.
std::string comparison_html(store::Catalog& catalog, const VersionComparison& comparison, size_t max_images = 40);

}  // namespace apiary::train
