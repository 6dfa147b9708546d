#include "data/export.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::DetectionFixture;
using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

Entry detection_entry() {
    Entry e;
    e.source_ref = "s3://b/x.jpg";
    e.image_path = "/data/x.jpg";
    e.image.width = 450;
    e.image.height = 319;
    e.objects = {{"wasp", Box{233, 89, 153, 173}}, {"bee", Box{1.5, 2, 3, 4}}};
    return e;
}

TEST(ExportTest, DetectionLineHasTheGroundTruthShape) {
    ExportOptions opts;
    opts.attribute = "kangaroo-164";
    opts.job_name = "kangaroo-164";
    const Json line = Json::parse(to_manifest_line(detection_entry(), TaskType::ObjectDetection, opts));
    std::vector<std::string> keys;
    for (const auto& [k, v] : line.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"source-ref", "kangaroo-164", "kangaroo-164-metadata"}));
    EXPECT_EQ(line["source-ref"], "s3://b/x.jpg") << "the reference it was imported with, not Apiary's copy";
    EXPECT_EQ(line["kangaroo-164"].dump(),
              R"({"image_size":[{"width":450,"height":319,"depth":3}],"annotations":[{"class_id":1,"top":89,"left":233,"width":153,"height":173},{"class_id":0,"top":2,"left":1.5,"width":3,"height":4}]})");
    const Json& meta = line["kangaroo-164-metadata"];
    EXPECT_EQ(meta["objects"].dump(), R"([{"confidence":0},{"confidence":0}])");
    EXPECT_EQ(meta["class-map"].dump(), R"({"0":"bee","1":"wasp"})");
    EXPECT_EQ(meta["type"], "groundtruth/object-detection");
    EXPECT_EQ(meta["human-annotated"], "yes");
    EXPECT_EQ(meta["job-name"], "labeling-job/kangaroo-164");
    const std::string date = meta["creation-date"];
    EXPECT_EQ(date.size(), std::string("2021-03-11T15:00:00.000000").size()) << date;
    EXPECT_EQ(date[10], 'T');
    EXPECT_TRUE(meta["objects"][0]["confidence"].is_number_integer());
}

TEST(ExportTest, LocalCopyNamesTheImageApiaryHolds) {
    ExportOptions opts;
    opts.source_ref = ExportOptions::SourceRef::LocalCopy;
    EXPECT_EQ(Json::parse(to_manifest_line(detection_entry(), TaskType::ObjectDetection, opts))["source-ref"], "/data/x.jpg");
    Entry made = detection_entry();
    made.source_ref.clear();  // an entry our own code made has no reference but its file
    EXPECT_EQ(Json::parse(to_manifest_line(made, TaskType::ObjectDetection))["source-ref"], "/data/x.jpg");
}

TEST(ExportTest, ClassificationAndMultiLabelShapes) {
    Entry e;
    e.image_path = "/d/a.jpg";
    e.labels = {"bee"};
    ExportOptions opts;
    opts.attribute = "class";
    Json line = Json::parse(to_manifest_line(e, TaskType::Classification, opts));
    EXPECT_EQ(line["class"], 0);
    EXPECT_EQ(line["class-metadata"]["class-name"], "bee");
    EXPECT_EQ(line["class-metadata"]["type"], "groundtruth/image-classification");

    e.labels = {"sky", "bee"};
    line = Json::parse(to_manifest_line(e, TaskType::MultiLabelClassification, opts));
    EXPECT_EQ(line["class"].dump(), "[1,0]");
    EXPECT_EQ(line["class-metadata"]["class-map"].dump(), R"({"0":"bee","1":"sky"})");
    EXPECT_EQ(line["class-metadata"]["type"], "groundtruth/image-classification-multilabel");

    EXPECT_THROW(to_manifest_line(e, TaskType::Classification, opts), Error);  // two labels
}

TEST(ExportTest, WriteManifestUsesOneClassMapForAllLines) {
    Entry a = detection_entry(), b;
    b.image_path = "/data/y.jpg";
    b.objects = {{"zebra", Box{1, 1, 2, 2}}};
    std::ostringstream out;
    write_manifest(out, {a, b}, TaskType::ObjectDetection);
    std::istringstream in(out.str());
    std::string l1, l2, rest;
    ASSERT_TRUE(std::getline(in, l1));
    ASSERT_TRUE(std::getline(in, l2));
    EXPECT_FALSE(std::getline(in, rest));
    const Json j2 = Json::parse(l2);
    EXPECT_EQ(j2["bounding-box"]["annotations"][0]["class_id"], 2);
    EXPECT_EQ(j2["bounding-box-metadata"]["class-map"].dump(), R"({"0":"bee","1":"wasp","2":"zebra"})");
    EXPECT_EQ(Json::parse(l1)["bounding-box-metadata"]["class-map"], j2["bounding-box-metadata"]["class-map"]);
}

void expect_same_entries(const std::vector<Entry>& a, const std::vector<Entry>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].sha256, b[i].sha256);
        EXPECT_EQ(a[i].image_path, b[i].image_path);
        EXPECT_EQ(a[i].objects, b[i].objects);
        EXPECT_EQ(a[i].labels, b[i].labels);
        EXPECT_EQ(a[i].all_labels(), b[i].all_labels());
        EXPECT_EQ(a[i].image.width, b[i].image.width);
    }
}

// Exported with local paths, so that the manifest imports again from any folder.
ImportReport round_trip(const ImportReport& first, const fs::path& out_file, ExportOptions opts = {}) {
    opts.source_ref = ExportOptions::SourceRef::LocalCopy;
    std::ostringstream out;
    write_manifest(out, first.entries, first.task, opts);
    write_text(out_file, out.str());
    return import_dataset(out_file);
}

TEST(ExportTest, DetectionRoundTrip) {
    DetectionFixture fx(6);
    auto lines = fx.lines;
    lines[2]["bees"]["annotations"].push_back({{"class_id", 1}, {"left", 0.25}, {"top", 3}, {"width", 159.75}, {"height", 7.5}});
    lines[4]["bees"]["annotations"] = Json::array();
    const ImportReport first = import_dataset(fx.write(lines));
    ASSERT_EQ(first.entries.size(), 6u) << issues_text(first);
    TempDir other;  // a different folder: source-refs are absolute
    const ImportReport second = round_trip(first, other / "export.manifest");
    EXPECT_TRUE(second.issues.empty()) << issues_text(second);
    EXPECT_EQ(second.task, TaskType::ObjectDetection);
    expect_same_entries(first.entries, second.entries);
}

TEST(ExportTest, ClassificationRoundTrips) {
    TempDir dir;
    for (int i = 0; i < 4; ++i) write_test_image(dir / ("img" + std::to_string(i) + ".jpg"), 100, 100, 50 + i);
    write_text(dir / "c.manifest", test::join_lines(std::vector<Json>{test::gt_classification("img0.jpg", 0, "bee"),
                                                                      test::gt_classification("img1.jpg", 1, "wasp")}));
    const Json map{{"0", "bee"}, {"1", "flower"}, {"2", "sky"}};
    write_text(dir / "m.manifest", test::join_lines(std::vector<Json>{test::gt_multilabel("img2.jpg", {0, 2}, map),
                                                                      test::gt_multilabel("img3.jpg", {1}, map)}));
    for (const char* name : {"c.manifest", "m.manifest"}) {
        const ImportReport first = import_dataset(dir / name);
        ASSERT_EQ(first.entries.size(), 2u) << issues_text(first);
        ExportOptions opts;
        opts.attribute = "class";
        const ImportReport second = round_trip(first, dir / (std::string("again-") + name), opts);
        EXPECT_TRUE(second.issues.empty()) << issues_text(second);
        EXPECT_EQ(second.task, first.task);
        expect_same_entries(first.entries, second.entries);
    }
}

TEST(ExportTest, VocRoundTripsThroughAManifest) {
    TempDir dir;
    write_test_image(dir / "JPEGImages/a.jpg", 120, 100, 5);
    write_text(dir / "Annotations/a.xml",
               "<annotation><filename>a.jpg</filename><object><name>RBC</name><bndbox><xmin>10</xmin><ymin>12</ymin><xmax>50.5</xmax>"
               "<ymax>60</ymax></bndbox></object></annotation>");
    const ImportReport first = import_dataset(dir.path());
    ASSERT_EQ(first.entries.size(), 1u) << issues_text(first);
    const ImportReport second = round_trip(first, dir / "out.manifest");
    expect_same_entries(first.entries, second.entries);
}

}  // namespace
}  // namespace apiary::data
