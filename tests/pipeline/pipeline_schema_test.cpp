// The pipeline's tables upgrade from the releases that kept them in the store's list (PRAGMA
// user_version 3 and 4): queued messages survive and are delivered after the upgrade.
#include "pipeline/pipeline_schema.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/pipeline_store.h"
#include "pipeline/queue.h"
#include "store/legacy_schema.h"
#include "store/migrations.h"
#include "support/test_support.h"

namespace apiary::pipeline {
namespace {

class LegacyPipelineUpgrade : public ::testing::TestWithParam<int> {};

TEST_P(LegacyPipelineUpgrade, QueuedMessagesSurviveAndAreDelivered) {
    test::TempDir tmp;
    const store::DataDir dir{tmp / "data"};
    {
        store::Database db(dir.database());
        for (int v = 0; v < GetParam(); ++v) db.exec(store::legacy::released_steps()[static_cast<size_t>(v)]);
        db.exec("PRAGMA user_version = " + std::to_string(GetParam()));
        db.exec("INSERT INTO pipelines (name, bucket, prefix, model, created_ms, updated_ms) "
                "VALUES ('p', 'photos', 'in/', 'arn:model', 1, 1)");
        db.exec("INSERT INTO pipeline_messages (pipeline, bucket, key, etag, visible_at_ms, created_ms) "
                "VALUES ('p', 'photos', 'in/a.jpg', 'e', 0, 1)");
    }
    SqliteQueue queue(dir);
    store::Database db(dir.database());
    EXPECT_EQ(store::component_version(db, "pipeline"), 4);  // the newest: step 4 added review bands
    EXPECT_EQ(PipelineStore(dir).get("p").bucket, "photos");
    const auto m = queue.receive();
    ASSERT_TRUE(m);
    EXPECT_EQ(m->key, "in/a.jpg");
}

INSTANTIATE_TEST_SUITE_P(Released, LegacyPipelineUpgrade, ::testing::Values(3, 4));

TEST(PipelineSchema, MigratingTwiceIsHarmless) {
    test::TempDir tmp;
    const store::DataDir dir{tmp / "data"};
    store::Database db(dir.database());
    migrate_pipeline_schema(db);
    migrate_pipeline_schema(db);
    EXPECT_EQ(store::component_version(db, "pipeline"), 4);  // the newest: step 4 added review bands
    EXPECT_EQ(store::component_version(db, "store"), 0) << "the store's tables are the store's to create";
}

}  // namespace
}  // namespace apiary::pipeline
