// Issue 14 in the catalogue: what the reference API reports about versions, datasets and
// policies is kept — the training end fixed once training ends, each version's own copy of its
// data, copies of versions, project policies with revision ids, imports that copy instead of
// moving, the task of a dataset created empty, and the lines an import rejected.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "core/error.h"
#include "core/hash.h"
#include "store/catalog.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

data::Entry entry(const fs::path& dir, int i, const std::string& label, bool classification = false) {
    data::Entry e;
    e.image_path = dir / ("img" + std::to_string(i) + ".jpg");
    test::write_test_image(e.image_path, 100, 80, i);
    e.source_ref = "s3://bucket/img" + std::to_string(i) + ".jpg";
    e.sha256 = sha256_file_hex(e.image_path);
    e.image = {vision::ImageFormat::Jpeg, 100, 80, static_cast<int64_t>(fs::file_size(e.image_path)), true, 1};
    if (classification) e.labels = {label};
    else if (!label.empty()) e.objects.push_back({label, Box{10, 10, 30.0 + i, 20}});
    return e;
}

data::ImportReport report(std::vector<data::Entry> entries, data::TaskType task = data::TaskType::ObjectDetection) {
    data::ImportReport r;
    r.task = task;
    r.records = entries.size();
    r.entries = std::move(entries);
    return r;
}

}  // namespace

TEST(CatalogCompat, TrainingEndIsFixedWhenTrainingEnds) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    auto v = c.create_version(p, "v1", Json::object());
    EXPECT_EQ(v.training_end_ms, 0);
    c.update_version(v, store::VersionStatus::TrainingInProgress, "epoch 1", Json::object());
    EXPECT_EQ(c.version(p, "v1").training_end_ms, 0);
    c.update_version(v, store::VersionStatus::TrainingCompleted, "done", Json{{"f1", 0.5}});
    const int64_t ended = c.version(p, "v1").training_end_ms;
    EXPECT_GT(ended, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    c.update_version(v, store::VersionStatus::Running, "running", Json{{"f1", 0.5}});
    c.update_version(v, store::VersionStatus::Stopped, "stopped", Json{{"f1", 0.5}});
    EXPECT_EQ(c.version(p, "v1").training_end_ms, ended);
    EXPECT_GT(c.version(p, "v1").updated_ms, ended);
}

TEST(CatalogCompat, AVersionKeepsItsOwnCopyOfItsDataAndACopyOfTheVersionToo) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report({entry(dir / "src", 1, "bee"), entry(dir / "src", 2, "bee"), entry(dir / "src", 3, "wasp")}), "train", "");
    const auto train = c.dataset(p, "train");
    auto all = c.entries(train);
    const auto v = c.create_version(p, "v1", Json::object());
    c.set_version_entries(v, "train", {all[0], all[1]});
    c.set_version_entries(v, "test", {all[2]});
    c.delete_dataset(train);  // the version's copy does not depend on the dataset
    const auto kept = c.version_entries(v, "train");
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].source_ref, all[0].source_ref);
    EXPECT_EQ(kept[1].objects, all[1].objects);
    EXPECT_TRUE(fs::exists(kept[0].image_path));
    EXPECT_EQ(c.version_entries(v, "test").at(0).split, data::Split::Test);

    c.update_version(v, store::VersionStatus::TrainingCompleted, "done", Json{{"f1", 0.75}});
    const auto target = c.create_project("elsewhere");
    const auto copy = c.copy_version(c.version(p, "v1"), target, "v1-copy", Json{{"source_version_arn", v.arn}});
    EXPECT_EQ(copy.status, store::VersionStatus::CopyingInProgress);
    EXPECT_FALSE(store::has_trained_model(copy.status));
    EXPECT_EQ(copy.metrics["f1"], 0.75);
    EXPECT_EQ(copy.training_end_ms, c.version(p, "v1").training_end_ms);
    EXPECT_EQ(c.version_entries(copy, "train").size(), 2u);
    EXPECT_EQ(copy.dir, (dir / "data" / "models" / "elsewhere" / "v1-copy").string());
    EXPECT_TRUE(store::has_trained_model(store::VersionStatus::CopyingCompleted));
}

TEST(CatalogCompat, PoliciesGetAFreshRevisionOnEveryWrite) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    EXPECT_TRUE(c.policies(p).empty());
    const auto first = c.put_policy(p, "b-policy", "{}");
    const auto second = c.put_policy(p, "b-policy", R"({"Statement": []})");
    EXPECT_NE(first.revision_id, second.revision_id);
    EXPECT_EQ(second.document, R"({"Statement": []})");
    EXPECT_EQ(second.created_ms, first.created_ms);
    c.put_policy(p, "a-policy", "{}");
    ASSERT_EQ(c.policies(p).size(), 2u);
    EXPECT_EQ(c.policies(p)[0].name, "a-policy");
    c.delete_policy(p, "b-policy");
    EXPECT_FALSE(c.policy(p, "b-policy"));
    c.delete_project("bees");  // policies go with their project
    const auto again = c.create_project("bees");
    EXPECT_TRUE(c.policies(again).empty());
}

TEST(CatalogCompat, ImportingWithoutMoveKeepsTheEntryInBothDatasets) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report({entry(dir / "src", 1, "bee"), entry(dir / "src", 2, "bee")}), "train", "");
    const auto copied = report(c.entries(c.dataset(p, "train")));
    c.import(p, copied, "test", "", /*move=*/false);
    EXPECT_EQ(c.dataset(p, "train").entries, 2);
    EXPECT_EQ(c.dataset(p, "test").entries, 2);
    c.import(p, copied, "test", "");  // the default still moves, as UpdateDatasetEntries does
    EXPECT_EQ(c.dataset(p, "train").entries, 0);
}

TEST(CatalogCompat, ADatasetCreatedEmptyTakesTheTaskOfItsFirstLabels) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("kinds");
    c.import(p, data::ImportReport{}, "train", "");  // CreateDataset without a source
    EXPECT_EQ(c.dataset(p, "train").task, data::TaskType::ObjectDetection);
    c.import(p, report({entry(dir / "src", 1, "")}), "train", "");  // unlabelled: decides nothing
    EXPECT_EQ(c.dataset(p, "train").task, data::TaskType::ObjectDetection);
    c.import(p, report({entry(dir / "src", 2, "busy", true), entry(dir / "src", 3, "idle", true)},
                       data::TaskType::Classification),
             "train", "");
    const auto d = c.dataset(p, "train");
    EXPECT_EQ(d.task, data::TaskType::Classification);
    EXPECT_EQ(d.entries, 3);
    EXPECT_EQ(c.labels(d).size(), 2u);
    // Now that it holds classification labels, detection labels are refused.
    EXPECT_THROW(c.import(p, report({entry(dir / "src", 4, "bee")}), "train", ""), Conflict);
    // Unlabelled entries still fit.
    c.import(p, report({entry(dir / "src", 5, "")}), "train", "");
    EXPECT_EQ(c.dataset(p, "train").task, data::TaskType::Classification);
}

TEST(CatalogCompat, RejectedLinesStayUntilTheirSourceRefImports) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    c.import(p, report({entry(dir / "src", 1, "bee")}), "train", "");
    const auto d = c.dataset(p, "train");
    c.set_rejected(d, {{"s3://bucket/img2.jpg", R"({"source-ref":"s3://bucket/img2.jpg","errors":[]})"},
                       {"s3://bucket/img3.jpg", R"({"source-ref":"s3://bucket/img3.jpg","errors":[]})"}});
    EXPECT_EQ(c.rejected(d).size(), 2u);
    c.import(p, report({entry(dir / "src", 2, "bee")}), "train", "");
    ASSERT_EQ(c.rejected(d).size(), 1u);
    EXPECT_NE(c.rejected(d)[0].find("img3"), std::string::npos);
}

TEST(CatalogCompat, EntriesKeepTheirLabelAttributeAndMetadata) {
    test::TempDir dir;
    store::Catalog c{store::DataDir(dir / "data")};
    const auto p = c.create_project("bees");
    auto e = entry(dir / "src", 1, "bee");
    e.label_attribute = "hive-cam";
    e.label_metadata = {{"job-name", "labeling-job/hive"}, {"type", "groundtruth/object-detection"}};
    c.import(p, report({e}), "train", "");
    const auto back = c.entries(c.dataset(p, "train")).at(0);
    EXPECT_EQ(back.label_attribute, "hive-cam");
    EXPECT_EQ(back.label_metadata, e.label_metadata);
    // Rows written before Apiary kept them read back with neither.
    data::Entry old;
    store::annotations_from_json(R"({"objects": [], "labels": []})", old);
    EXPECT_TRUE(old.label_attribute.empty());
    EXPECT_TRUE(old.label_metadata.is_null());
}
