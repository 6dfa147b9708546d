// Ground Truth manifests: the three label kinds, attribute discovery and source-ref resolution.
#include <gtest/gtest.h>

#include "core/error.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::DetectionFixture;
using test::gt_classification;
using test::gt_detection;
using test::gt_multilabel;
using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

TEST(GroundtruthTest, DetectionWithAnyAttributeName) {
    TempDir dir;
    write_test_image(dir / "images/00001.jpg", 450, 319);
    write_test_image(dir / "images/00002.jpg", 300, 200, 1);
    write_text(dir / "output.manifest",
               test::join_lines(std::vector<Json>{
                   gt_detection("images/00001.jpg", 450, 319, {{0, 233, 89, 153, 173}, {0, 134, 105, 207, 148}}, "kangaroo-164", {{"0", "kangaroo"}}),
                   gt_detection("images/00002.jpg", 300, 200, {{1, 1, 2, 3, 4}}, "my-odd.attr", {{"0", "x"}, {"1", "y"}})}));
    const ImportReport r = import_dataset(dir / "output.manifest");
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
    EXPECT_EQ(r.task, TaskType::ObjectDetection);
    EXPECT_EQ(r.records, 2u);
    const Entry& e = r.entries[0];
    EXPECT_EQ(e.source_ref, "images/00001.jpg");
    EXPECT_EQ(e.image_path, fs::absolute(dir / "images/00001.jpg").lexically_normal());
    EXPECT_EQ(e.image.width, 450);
    EXPECT_EQ(e.image.height, 319);
    EXPECT_EQ(e.sha256.size(), 64u);
    ASSERT_EQ(e.objects.size(), 2u);
    EXPECT_EQ(e.objects[0].label, "kangaroo");
    EXPECT_EQ(e.objects[0].box, (Box{233, 89, 153, 173}));
    EXPECT_EQ(r.entries[1].objects[0].label, "y");
    EXPECT_EQ(e.split, Split::Unassigned);
}

TEST(GroundtruthTest, ExactSampleLineFromTheServiceDocs) {
    TempDir dir;
    write_test_image(dir / "imgs/00001.jpg", 450, 319);
    write_text(dir / "output.manifest",
               R"({"source-ref": "s3://apiary-samples/kangaroo/images/00001.jpg", "kangaroo-164": {"image_size": [{"width": 450, "height": 319, "depth": 3}], "annotations": [{"class_id": 0, "top": 89, "left": 233, "width": 153, "height": 173}]}, "kangaroo-164-metadata": {"objects": [{"confidence": 0}], "class-map": {"0": "kangaroo"}, "type": "groundtruth/object-detection", "human-annotated": "yes", "creation-date": "2021-03-11T15:00:00.000000", "job-name": "labeling-job/kangaroo-164"}})"
               "\r\n");
    ImportOptions opts;
    opts.maps = {PathMapping::parse("s3://apiary-samples/kangaroo/images=" + (dir / "imgs").string())};
    const ImportReport r = import_dataset(dir / "output.manifest", opts);
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.entries[0].source_ref, "s3://apiary-samples/kangaroo/images/00001.jpg");
    EXPECT_EQ(r.entries[0].objects[0].box, (Box{233, 89, 153, 173}));
}

TEST(GroundtruthTest, Classification) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100, 1);
    write_test_image(dir / "b.png", 100, 100, 2);
    write_text(dir / "m.manifest", test::join_lines(std::vector<Json>{gt_classification("a.jpg", 0, "bee"), gt_classification("b.png", 3, "wasp")}));
    const ImportReport r = import_dataset(dir / "m.manifest");
    EXPECT_EQ(r.task, TaskType::Classification);
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.entries[0].labels, std::vector<std::string>{"bee"});
    EXPECT_EQ(r.entries[1].labels, std::vector<std::string>{"wasp"});
    EXPECT_EQ(r.entries[1].image.format, vision::ImageFormat::Png);
    EXPECT_TRUE(r.entries[0].objects.empty());
}

TEST(GroundtruthTest, ClassificationWithoutClassNameIsReported) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100, 1);
    write_test_image(dir / "b.jpg", 100, 100, 2);
    Json bad = gt_classification("b.jpg", 0, "x");
    bad["species-metadata"].erase("class-name");
    write_text(dir / "m.manifest", test::join_lines(std::vector<Json>{gt_classification("a.jpg", 0, "bee"), bad}));
    const ImportReport r = import_dataset(dir / "m.manifest");
    ASSERT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "missing-field");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_EQ(r.issues[0].field, "species-metadata.class-name");
}

TEST(GroundtruthTest, MultiLabel) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100, 1);
    write_test_image(dir / "b.jpg", 100, 100, 2);
    const Json map{{"0", "bee"}, {"1", "flower"}, {"2", "sky"}};
    write_text(dir / "m.jsonl", test::join_lines(std::vector<Json>{gt_multilabel("a.jpg", {0, 2}, map), gt_multilabel("b.jpg", {}, map)}));
    const ImportReport r = import_dataset(dir / "m.jsonl");
    EXPECT_EQ(r.task, TaskType::MultiLabelClassification);
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.entries[0].labels, (std::vector<std::string>{"bee", "sky"}));
    EXPECT_TRUE(r.entries[1].labels.empty());
}

TEST(GroundtruthTest, MultiLabelUnknownIdNamesTheArrayElement) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100, 1);
    write_text(dir / "m.jsonl", gt_multilabel("a.jpg", {0, 5}, Json{{"0", "bee"}}).dump() + "\n");
    const ImportReport r = import_dataset(dir / "m.jsonl");
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unknown-class-id");
    EXPECT_EQ(r.issues[0].field, "tags[1]");
}

TEST(GroundtruthTest, MostCommonLabelKindWinsAndOthersAreReported) {
    DetectionFixture fx(3);
    write_test_image(fx.dir / "c.jpg", 100, 100, 77);
    auto lines = fx.lines;
    lines.insert(lines.begin(), gt_classification("c.jpg", 0, "bee"));
    const ImportReport r = import_dataset(fx.write(lines));
    EXPECT_EQ(r.task, TaskType::ObjectDetection);
    EXPECT_EQ(r.entries.size(), 3u);
    ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "mixed-task");
    EXPECT_EQ(r.issues[0].line, 1);
    EXPECT_EQ(r.issues[0].field, "species-metadata.type");
}

TEST(GroundtruthTest, LineWithSeveralAttributesUsesTheDatasetsKind) {
    DetectionFixture fx(2);
    auto lines = fx.lines;
    Json both = lines[1];
    both.update(gt_classification("images/img1.jpg", 0, "bee"));
    both["source-ref"] = "images/img1.jpg";
    lines[1] = both;
    const ImportReport r = import_dataset(fx.write(lines));
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.entries[1].objects.size(), 1u);
}

TEST(GroundtruthTest, BlankLinesAreSkippedButCounted) {
    DetectionFixture fx(2);
    test::write_text(fx.dir / "m.manifest", "\n" + fx.lines[0].dump() + "\n   \n" + fx.lines[1].dump() + "\n\n");
    const ImportReport r = import_dataset(fx.dir / "m.manifest");
    EXPECT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.records, 2u);
}

TEST(GroundtruthTest, EmptyAnnotationsAreANegativeExample) {
    DetectionFixture fx(1);
    auto lines = fx.lines;
    lines[0]["bees"]["annotations"] = Json::array();
    lines[0]["bees-metadata"].erase("class-map");
    const ImportReport r = import_dataset(fx.write(lines));
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_TRUE(r.entries[0].objects.empty());
}

TEST(GroundtruthTest, ImageSizeIsOptional) {
    DetectionFixture fx(1);
    auto lines = fx.lines;
    lines[0]["bees"].erase("image_size");
    const ImportReport r = import_dataset(fx.write(lines));
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.entries[0].image.width, 160);
}

TEST(DataPathMappingTest, LongestPrefixWins) {
    TempDir dir;
    write_test_image(dir / "general/special/a.jpg", 100, 100, 1);
    write_test_image(dir / "specific/a.jpg", 100, 100, 2);
    write_text(dir / "m.manifest", gt_classification("s3://bucket/data/special/a.jpg", 0, "bee").dump() + "\n");
    ImportOptions opts;
    opts.maps = {PathMapping::parse("s3://bucket/data=" + (dir / "general").string()),
                 PathMapping::parse("s3://bucket/data/special=" + (dir / "specific").string())};
    ImportReport r = import_dataset(dir / "m.manifest", opts);
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.entries[0].image_path, dir / "specific/a.jpg");
    std::swap(opts.maps[0], opts.maps[1]);  // order does not matter
    r = import_dataset(dir / "m.manifest", opts);
    EXPECT_EQ(r.entries.at(0).image_path, dir / "specific/a.jpg");
}

TEST(DataPathMappingTest, PrefixMatchesWholePathSegmentsOnly) {
    TempDir dir;
    write_test_image(dir / "imgs/a.jpg", 100, 100, 1);
    write_text(dir / "m.manifest", gt_classification("s3://b/images/a.jpg", 0, "bee").dump() + "\n");
    ImportOptions opts;
    opts.maps = {PathMapping::parse("s3://b/img=" + (dir / "imgs").string())};
    const ImportReport r = import_dataset(dir / "m.manifest", opts);
    EXPECT_TRUE(r.entries.empty());
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unmapped-source-ref");
}

TEST(DataPathMappingTest, RelativeRefsResolveAgainstTheManifestFolder) {
    TempDir dir;
    write_test_image(dir / "sub/pics/a.jpg", 100, 100, 1);
    write_text(dir / "sub/m.manifest", gt_classification("pics/../pics/a.jpg", 0, "bee").dump() + "\n");
    const ImportReport r = import_dataset(dir / "sub/m.manifest");
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.entries[0].image_path, dir / "sub/pics/a.jpg");
    EXPECT_EQ(r.entries[0].source_ref, "pics/../pics/a.jpg");
}

TEST(DataPathMappingTest, AbsoluteAndFileUrlRefs) {
    TempDir dir;
    write_test_image(dir / "a.jpg", 100, 100, 1);
    write_test_image(dir / "b.jpg", 100, 100, 2);
    write_text(dir / "other/m.manifest", test::join_lines(std::vector<Json>{gt_classification((dir / "a.jpg").string(), 0, "bee"),
                                                                            gt_classification("file://" + (dir / "b.jpg").string(), 0, "bee")}));
    const ImportReport r = import_dataset(dir / "other/m.manifest");
    EXPECT_EQ(r.entries.size(), 2u) << issues_text(r);
}

TEST(GroundtruthTest, MissingManifestThrowsNamingThePath) {
    TempDir dir;
    try {
        import_dataset(dir / "nope.manifest");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nope.manifest"), std::string::npos);
    }
}

TEST(GroundtruthTest, ExplicitFormatOverridesTheExtension) {
    DetectionFixture fx(2);
    const auto path = fx.write(fx.lines, "labels.txt");
    EXPECT_THROW(import_dataset(path), Error);  // .txt is not detected
    ImportOptions opts;
    opts.format = Format::GroundTruth;
    EXPECT_EQ(import_dataset(path, opts).entries.size(), 2u);
}

}  // namespace
}  // namespace apiary::data
