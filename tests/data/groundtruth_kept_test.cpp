// Issue 14: an imported Ground Truth line comes back as the user wrote it — its label attribute
// name, its metadata and its class ids — and, where the service asks for it, a line with only a
// source-ref is an unlabelled entry.
#include <gtest/gtest.h>

#include "data/export.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

using test::TempDir;
using test::write_test_image;

ImportReport import_lines(const TempDir& dir, const std::string& text, bool unlabelled = false) {
    ImportOptions options;
    options.format = Format::GroundTruth;
    options.unlabelled_lines = unlabelled;
    return import_manifest_text(text, (dir.path() / "m.manifest").string(), options);
}

TEST(GroundTruthKept, DetectionLinesKeepTheirAttributeMetadataAndClassIds) {
    TempDir dir;
    const auto image = dir.path() / "a.jpg";
    write_test_image(image, 200, 100);
    const Json line = {
        {"source-ref", image.string()},
        {"hive-cam", {{"image_size", {{{"width", 200}, {"height", 100}, {"depth", 3}}}},
                      {"annotations", {{{"class_id", 7}, {"left", 10}, {"top", 20}, {"width", 30}, {"height", 40}}}}}},
        {"hive-cam-metadata",
         {{"objects", {{{"confidence", 0.9}}}}, {"class-map", {{"7", "drone"}}}, {"type", "groundtruth/object-detection"},
          {"human-annotated", "no"}, {"creation-date", "2024-05-06T07:08:09.000"}, {"job-name", "labeling-job/hive-cam"}}}};
    const ImportReport r = import_lines(dir, line.dump() + "\n");
    ASSERT_EQ(r.entries.size(), 1u);
    EXPECT_EQ(r.entries[0].label_attribute, "hive-cam");
    const Json back = Json::parse(to_manifest_line(r.entries[0], TaskType::ObjectDetection));
    ASSERT_TRUE(back.contains("hive-cam")) << back;
    EXPECT_EQ(back["hive-cam"]["annotations"][0]["class_id"], 7) << back;
    const Json& meta = back["hive-cam-metadata"];
    EXPECT_EQ(meta["class-map"], Json({{"7", "drone"}}));
    EXPECT_EQ(meta["job-name"], "labeling-job/hive-cam");
    EXPECT_EQ(meta["creation-date"], "2024-05-06T07:08:09.000");
    EXPECT_EQ(meta["human-annotated"], "no");
    EXPECT_EQ(meta["objects"].size(), 1u);
}

TEST(GroundTruthKept, AnEditedEntryGetsMetadataThatFitsItsNewLabels) {
    TempDir dir;
    const auto image = dir.path() / "a.jpg";
    write_test_image(image, 200, 100);
    const Json line = {{"source-ref", image.string()},
                       {"kind", 4},
                       {"kind-metadata",
                        {{"class-name", "busy"}, {"confidence", 0.8}, {"type", "groundtruth/image-classification"},
                         {"human-annotated", "yes"}, {"creation-date", "2024-01-01T00:00:00"}, {"job-name", "labeling-job/kinds"}}}};
    ImportReport r = import_lines(dir, line.dump() + "\n");
    ASSERT_EQ(r.entries.size(), 1u);
    Json back = Json::parse(to_manifest_line(r.entries[0], TaskType::Classification));
    EXPECT_EQ(back["kind"], 4) << back;  // the user's own class id
    EXPECT_FALSE(back["kind-metadata"].contains("class-map")) << back;
    EXPECT_EQ(back["kind-metadata"]["confidence"], 0.8);
    EXPECT_EQ(back["kind-metadata"]["job-name"], "labeling-job/kinds");
    r.entries[0].labels = {"idle"};  // relabelled: its old class name and confidence no longer apply
    back = Json::parse(to_manifest_line(r.entries[0], TaskType::Classification));
    EXPECT_EQ(back["kind-metadata"]["class-name"], "idle");
    EXPECT_EQ(back["kind-metadata"]["confidence"], 0);
    EXPECT_EQ(back["kind"], 0);
}

TEST(GroundTruthKept, ASourceRefOnlyLineIsAnUnlabelledEntryWhenAskedFor) {
    TempDir dir;
    const auto image = dir.path() / "a.jpg";
    write_test_image(image, 200, 100);
    const std::string text = Json{{"source-ref", image.string()}}.dump() + "\n";
    const ImportReport refused = import_lines(dir, text);
    ASSERT_EQ(refused.entries.size(), 0u);
    EXPECT_EQ(refused.issues.at(0).code, "missing-label");
    const ImportReport kept = import_lines(dir, text, /*unlabelled=*/true);
    ASSERT_EQ(kept.entries.size(), 1u) << (kept.issues.empty() ? "" : kept.issues[0].str());
    EXPECT_TRUE(kept.entries[0].all_labels().empty());
    // Other unknown members still mean a label attribute this reader does not know.
    const ImportReport other = import_lines(dir, Json{{"source-ref", image.string()}, {"bees", 1}}.dump() + "\n", true);
    EXPECT_EQ(other.entries.size(), 0u);
}

}  // namespace
}  // namespace apiary::data
