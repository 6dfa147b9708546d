// VersionStatus: the names stored in model_versions.status and answered by the API.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "store/catalog.h"
#include "store/version_status.h"
#include "support/test_support.h"

using namespace apiary;
using store::VersionStatus;

namespace {

const VersionStatus kAll[] = {VersionStatus::TrainingInProgress, VersionStatus::TrainingCompleted,
                              VersionStatus::TrainingFailed,     VersionStatus::Starting,
                              VersionStatus::Running,            VersionStatus::Stopping,
                              VersionStatus::Stopped,            VersionStatus::Failed,
                              VersionStatus::Deleting,           VersionStatus::CopyingInProgress,
                              VersionStatus::CopyingCompleted,   VersionStatus::CopyingFailed};

TEST(VersionStatus, EveryStatusIsTheReferenceServiceNameAndParsesBack) {
    EXPECT_EQ(to_string(VersionStatus::TrainingInProgress), "TRAINING_IN_PROGRESS");
    EXPECT_EQ(to_string(VersionStatus::TrainingCompleted), "TRAINING_COMPLETED");
    EXPECT_EQ(to_string(VersionStatus::TrainingFailed), "TRAINING_FAILED");
    EXPECT_EQ(to_string(VersionStatus::Starting), "STARTING");
    EXPECT_EQ(to_string(VersionStatus::Running), "RUNNING");
    EXPECT_EQ(to_string(VersionStatus::Stopping), "STOPPING");
    EXPECT_EQ(to_string(VersionStatus::Stopped), "STOPPED");
    EXPECT_EQ(to_string(VersionStatus::Failed), "FAILED");
    EXPECT_EQ(to_string(VersionStatus::Deleting), "DELETING");
    EXPECT_EQ(to_string(VersionStatus::CopyingInProgress), "COPYING_IN_PROGRESS");
    EXPECT_EQ(to_string(VersionStatus::CopyingCompleted), "COPYING_COMPLETED");
    EXPECT_EQ(to_string(VersionStatus::CopyingFailed), "COPYING_FAILED");
    for (const auto status : kAll) EXPECT_EQ(store::parse_version_status(to_string(status)), status) << to_string(status);
}

TEST(VersionStatus, AnUnknownNameIsAnInternalErrorNamingIt) {
    for (const std::string name : {"", "training_completed", "COPYING", "RUNNING "}) {
        try {
            store::parse_version_status(name);
            ADD_FAILURE() << "'" << name << "' parsed";
        } catch (const InternalError& e) {
            EXPECT_NE(std::string(e.what()).find("'" + name + "'"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("model_versions.status"), std::string::npos) << e.what();
        }
    }
}

TEST(VersionStatus, PutIntoJsonItIsItsName) {
    EXPECT_EQ(Json({{"Status", VersionStatus::TrainingFailed}}).dump(), R"({"Status":"TRAINING_FAILED"})");
}

TEST(VersionStatus, OnlyVersionsWithAModelCountAsTrained) {
    for (const auto status : kAll) {
        const bool untrained = status == VersionStatus::TrainingInProgress || status == VersionStatus::TrainingFailed ||
                               status == VersionStatus::Deleting || status == VersionStatus::CopyingInProgress ||
                               status == VersionStatus::CopyingFailed;
        EXPECT_EQ(store::has_trained_model(status), !untrained) << to_string(status);
    }
}

TEST(VersionStatus, TheCatalogStoresTheNamesAndRefusesARowWithAnUnknownOne) {
    test::TempDir dir;
    store::Catalog catalog{store::DataDir(dir / "data")};
    const auto project = catalog.create_project("bees");
    const auto v = catalog.create_version(project, "v1", Json::object());
    EXPECT_EQ(v.status, VersionStatus::TrainingInProgress);
    catalog.update_version(v, VersionStatus::Stopping, "stopping", Json::object());
    auto stored = catalog.db().prepare("SELECT status FROM model_versions WHERE id = ?");
    stored.bind(1, v.id);
    ASSERT_TRUE(stored.step());
    EXPECT_EQ(stored.column_text(0), "STOPPING");  // the same strings as before the enum
    EXPECT_EQ(catalog.version(project, "v1").status, VersionStatus::Stopping);

    catalog.db().prepare("UPDATE model_versions SET status = 'HALF_TRAINED' WHERE id = ?").bind(1, v.id).run();
    try {
        catalog.version(project, "v1");
        ADD_FAILURE() << "a version with an unknown status was read";
    } catch (const InternalError& e) {
        EXPECT_NE(std::string(e.what()).find("'HALF_TRAINED'"), std::string::npos) << e.what();
    }
}

}  // namespace
