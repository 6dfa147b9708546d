// Databases of every released layout upgrade in place: the single list of four steps (PRAGMA
// user_version 1..4) becomes per-component versions, the data stays, the unused jobs table goes.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "store/catalog.h"
#include "store/legacy_schema.h"
#include "store/object_store.h"
#include "support/test_support.h"

namespace apiary::store {
namespace {

bool has_table(Database& db, const std::string& name) {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").bind(1, name).step();
}

bool has_column(Database& db, const std::string& table, const std::string& column) {
    return db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = ?").bind(1, table).bind(2, column).step();
}

// A data directory as an apiary of that release left it, with a project, and an object from v2 on.
void create_legacy(const DataDir& dir, int version) {
    Database db(dir.database());
    for (int v = 0; v < version; ++v) db.exec(legacy::released_steps()[static_cast<size_t>(v)]);
    db.exec("PRAGMA user_version = " + std::to_string(version));
    db.exec("INSERT INTO projects (name, arn, created_ms) VALUES ('bees', 'arn:bees', 1)");
    db.exec("INSERT INTO tags (resource_arn, key, value) VALUES ('arn:bees', 'team', 'pollinators')");
    if (version >= 2) {
        db.exec("INSERT INTO buckets (name, created_ms) VALUES ('photos', 1)");
        db.exec("INSERT INTO objects (bucket, key, size, etag, content_type, modified_ms, blob) "
                "VALUES ('photos', 'a.jpg', 0, 'd41d8cd98f00b204e9800998ecf8427e', 'image/jpeg', 1, 'objects/x')");
    }
}

class LegacyUpgrade : public ::testing::TestWithParam<int> {};

TEST_P(LegacyUpgrade, KeepsTheDataAndReachesTheNewestStoreSchema) {
    const int released = GetParam();
    test::TempDir tmp;
    const DataDir dir{tmp / "data"};
    create_legacy(dir, released);
    ObjectStore objects{dir};
    Catalog catalog{dir};
    Database db(dir.database());
    EXPECT_EQ(db.user_version(), kComponentLayout);
    EXPECT_EQ(component_version(db, "store"), static_cast<int>(store_schema().steps.size()));
    EXPECT_EQ(component_version(db, "pipeline"), released >= 4 ? 2 : released >= 3 ? 1 : 0)
        << "the pipeline's steps are its own to apply";
    EXPECT_FALSE(has_table(db, "jobs"));
    EXPECT_TRUE(has_column(db, "objects", "encrypted"));
    EXPECT_EQ(catalog.project("bees").arn, "arn:bees");
    EXPECT_EQ(catalog.tags("arn:bees").at("team"), "pollinators");
    if (released >= 2) {
        EXPECT_EQ(objects.head_object("photos", "a.jpg").content_type, "image/jpeg");
    }
}

INSTANTIATE_TEST_SUITE_P(Released, LegacyUpgrade, ::testing::Values(1, 2, 3, 4));

TEST(Migrations, AFreshDatabaseHasOnlyTheStoreTablesUntilAComponentMigrates) {
    test::TempDir tmp;
    const DataDir dir{tmp / "data"};
    ObjectStore objects{dir};
    Database db(dir.database());
    EXPECT_EQ(db.user_version(), kComponentLayout);
    EXPECT_TRUE(has_table(db, "objects"));
    EXPECT_FALSE(has_table(db, "jobs"));
    EXPECT_FALSE(has_table(db, "pipeline_messages"));
}

TEST(Migrations, AComponentIsMigratedOnceAndANewerOneIsRefused) {
    test::TempDir tmp;
    const DataDir dir{tmp / "data"};
    Database db(dir.database());
    const SchemaComponent widgets{"widgets", {"CREATE TABLE widgets (id INTEGER PRIMARY KEY);"}};
    migrate(db, widgets);
    migrate(db, widgets);  // a second CREATE TABLE would throw
    EXPECT_EQ(component_version(db, "widgets"), 1);
    const SchemaComponent more{"widgets", {widgets.steps[0], "ALTER TABLE widgets ADD COLUMN name TEXT;"}};
    migrate(db, more);
    EXPECT_EQ(component_version(db, "widgets"), 2);
    try {
        migrate(db, widgets);
        FAIL() << "a binary that knows one step opened a database at two";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("component 'widgets'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("upgrade apiary"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace apiary::store
