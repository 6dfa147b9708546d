#include "store/version_status.h"

#include <array>
#include <utility>

#include "core/error.h"

namespace apiary::store {
namespace {

constexpr std::array<std::pair<VersionStatus, std::string_view>, 12> kNames{{
    {VersionStatus::TrainingInProgress, "TRAINING_IN_PROGRESS"},
    {VersionStatus::TrainingCompleted, "TRAINING_COMPLETED"},
    {VersionStatus::TrainingFailed, "TRAINING_FAILED"},
    {VersionStatus::Starting, "STARTING"},
    {VersionStatus::Running, "RUNNING"},
    {VersionStatus::Stopping, "STOPPING"},
    {VersionStatus::Stopped, "STOPPED"},
    {VersionStatus::Failed, "FAILED"},
    {VersionStatus::Deleting, "DELETING"},
    {VersionStatus::CopyingInProgress, "COPYING_IN_PROGRESS"},
    {VersionStatus::CopyingCompleted, "COPYING_COMPLETED"},
    {VersionStatus::CopyingFailed, "COPYING_FAILED"},
}};

}  // namespace

std::string to_string(VersionStatus status) {
    for (const auto& [value, name] : kNames)
        if (value == status) return std::string(name);
    throw InternalError("model version status " + std::to_string(static_cast<int>(status)) + " has no name");
}

VersionStatus parse_version_status(std::string_view name) {
    for (const auto& [value, known] : kNames)
        if (known == name) return value;
    throw InternalError(Location{"", 0, "model_versions.status"},
                        "'" + std::string(name) + "' is not a model version status (a newer Apiary's or a hand-edited database?)");
}

bool has_trained_model(VersionStatus status) {
    return status != VersionStatus::TrainingInProgress && status != VersionStatus::TrainingFailed &&
           status != VersionStatus::Deleting && status != VersionStatus::CopyingInProgress &&
           status != VersionStatus::CopyingFailed;
}

}  // namespace apiary::store
