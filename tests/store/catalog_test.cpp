#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/hash.h"
#include "store/catalog.h"
#include "store/migrations.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

data::Entry make_entry(const fs::path& dir, int i, const std::string& label, data::Split split = data::Split::Unassigned) {
    data::Entry e;
    e.image_path = dir / ("img" + std::to_string(i) + ".jpg");
    test::write_test_image(e.image_path, 100, 80, i);
    e.source_ref = "s3://bucket/img" + std::to_string(i) + ".jpg";
    e.sha256 = sha256_file_hex(e.image_path);
    e.image = {vision::ImageFormat::Jpeg, 100, 80, static_cast<int64_t>(fs::file_size(e.image_path)), true, 1};
    e.objects.push_back({label, Box{10, 10, 30.0 + i, 20}});
    e.split = split;
    return e;
}

data::ImportReport report_of(std::vector<data::Entry> entries) {
    data::ImportReport r;
    r.records = entries.size();
    r.entries = std::move(entries);
    return r;
}

}  // namespace

TEST(Catalog, ProjectsLifecycle) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    EXPECT_EQ(p.arn.rfind("arn:aws:rekognition:us-east-1:000000000000:project/bees/", 0), 0u);
    EXPECT_THROW(c.create_project("bees"), Conflict);
    EXPECT_THROW(c.create_project("no/slash"), Error);
    EXPECT_EQ(c.project(p.arn).name, "bees");
    EXPECT_EQ(c.list_projects().size(), 1u);
    c.delete_project("bees");
    EXPECT_THROW(c.project("bees"), NotFound);
}

TEST(Catalog, ImportStoresEntriesLabelsAndImagesThatSurviveReopening) {
    test::TempDir dir;
    const auto src = dir / "src";
    {
        store::Catalog c{store::DataDir(dir / "data")};
        const auto p = c.create_project("bees");
        auto r = report_of({make_entry(src, 1, "bee"), make_entry(src, 2, "bee"),
                            make_entry(src, 3, "wasp", data::Split::Test)});
        const auto s = c.import(p, r, std::nullopt, "report.jsonl");
        EXPECT_EQ(s.added, 3);
        EXPECT_EQ(s.to_train, 2);
        EXPECT_EQ(s.to_test, 1);
    }
    fs::remove_all(src);  // the store keeps its own copies
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.project("bees");
    const auto train = c.dataset(p, "train");
    const auto entries = c.entries(train);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_TRUE(fs::exists(entries[0].image_path));
    EXPECT_EQ(sha256_file_hex(entries[0].image_path), entries[0].sha256);
    EXPECT_EQ(entries[1].objects[0].box, (Box{10, 10, 32, 20}));
    const auto labels = c.labels(train);
    ASSERT_EQ(labels.size(), 1u);
    EXPECT_EQ(labels[0].label, "bee");
    EXPECT_EQ(labels[0].images, 2);
    EXPECT_EQ(labels[0].boxes, 2);
    EXPECT_EQ(c.dataset(p, "test").entries, 1);
    EXPECT_EQ(c.dataset(p, "test").last_import_report, "report.jsonl");
}

TEST(Catalog, ReimportReplacesAnnotationsAndNeverSharesAnImageBetweenTrainAndTest) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    auto e = make_entry(dir / "src", 1, "bee");
    c.import(p, report_of({e}), std::string("train"), "");
    e.objects[0].label = "wasp";
    const auto s = c.import(p, report_of({e}), std::string("test"), "");
    EXPECT_EQ(s.updated, 1);
    EXPECT_EQ(c.dataset(p, "train").entries, 0);
    const auto test_entries = c.entries(c.dataset(p, "test"));
    ASSERT_EQ(test_entries.size(), 1u);
    EXPECT_EQ(test_entries[0].objects[0].label, "wasp");
}

TEST(Catalog, FailedImportLeavesThePreviousStateIntact) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report_of({make_entry(dir / "src", 1, "bee")}), std::nullopt, "");
    auto bad = report_of({make_entry(dir / "src", 2, "bee"), make_entry(dir / "src", 3, "bee")});
    bad.entries[1].image_path = dir / "src" / "missing.jpg";  // fails while copying images
    EXPECT_THROW(c.import(p, bad, std::nullopt, ""), Error);
    EXPECT_EQ(c.dataset(p, "train").entries, 1);
}

TEST(Catalog, ClassificationAndDetectionDoNotMix) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report_of({make_entry(dir / "src", 1, "bee")}), std::nullopt, "");
    auto cls = report_of({make_entry(dir / "src", 2, "bee")});
    cls.task = data::TaskType::Classification;
    EXPECT_THROW(c.import(p, cls, std::nullopt, ""), Conflict);
}

TEST(Catalog, RedistributeMovesEntries) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report_of({make_entry(dir / "src", 1, "bee"), make_entry(dir / "src", 2, "bee")}), std::nullopt, "");
    auto all = c.entries(c.dataset(p, "train"));
    all[0].split = data::Split::Test;
    c.redistribute(p, all);
    EXPECT_EQ(c.dataset(p, "train").entries, 1);
    EXPECT_EQ(c.dataset(p, "test").entries, 1);
}

TEST(Migrations, FreshDatabaseIsAtTheNewestVersionAndNewerIsRefused) {
    test::TempDir dir;
    {
        store::Catalog c{store::DataDir(dir / "data")};
        EXPECT_EQ(c.db().user_version(), store::kComponentLayout);
        EXPECT_EQ(store::component_version(c.db(), "store"), static_cast<int>(store::store_schema().steps.size()));
        c.db().exec("PRAGMA user_version = 999");
    }
    EXPECT_THROW(store::Catalog{store::DataDir(dir / "data")}, Error);
}

namespace apiary::store {
namespace {

TEST(Catalog, VersionDirectoriesFollowAMovedDataDirectory) {
    test::TempDir dir;
    const auto old_root = dir.path() / "old", new_root = dir.path() / "new";
    {
        Catalog catalog{DataDir(old_root)};
        const auto project = catalog.create_project("bees");
        const auto v = catalog.create_version(project, "v1", Json::object());
        EXPECT_EQ(std::filesystem::path(v.dir), DataDir(old_root).models() / "bees" / "v1");
    }
    std::filesystem::rename(old_root, new_root);
    Catalog moved{DataDir(new_root)};
    const auto v = moved.version(moved.project("bees"), "v1");
    EXPECT_EQ(std::filesystem::path(v.dir), DataDir(new_root).models() / "bees" / "v1");
}

}  // namespace
}  // namespace apiary::store
