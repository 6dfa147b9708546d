#pragma once
// The status of a model version: one closed list instead of strings compared by hand. The
// database stores, and the API answers, the reference service's names (to_string); a name read
// back that is not in the list is a broken database, not a request error.
#include <string>
#include <string_view>

#include "core/json.h"

namespace apiary::store {

enum class VersionStatus {
    TrainingInProgress,  // TRAINING_IN_PROGRESS: created, training queued or running
    TrainingCompleted,   // TRAINING_COMPLETED: a model exists and is not running
    TrainingFailed,      // TRAINING_FAILED: no model
    Starting,            // STARTING .. FAILED: a trained model's runtime state (ModelRuntime)
    Running,
    Stopping,
    Stopped,
    Failed,    // FAILED: the model could not be started
    Deleting,  // DELETING: only ever answered, never stored (deletion is immediate)
    CopyingInProgress,  // COPYING_IN_PROGRESS: CopyProjectVersion's copy, not yet a model
    CopyingCompleted,   // COPYING_COMPLETED: a copied model, not running
    CopyingFailed,      // COPYING_FAILED: no model
};

// The reference service's name, e.g. "TRAINING_COMPLETED".
std::string to_string(VersionStatus status);
// The status named `name`; InternalError naming the value for a name not in the list.
VersionStatus parse_version_status(std::string_view name);

// True when the version holds a trained model (everything but training in progress or failed,
// and deleting).
bool has_trained_model(VersionStatus status);

// So that a status put into a Json document is its name, never the enum's integer.
inline void to_json(Json& j, VersionStatus status) { j = to_string(status); }

}  // namespace apiary::store
