#include "data/entry.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "data/import.h"

namespace apiary::data {
namespace {

TEST(DataEntryTest, EnumNames) {
    EXPECT_EQ(to_string(Split::Unassigned), "");
    EXPECT_EQ(to_string(Split::Train), "train");
    EXPECT_EQ(to_string(Split::Test), "test");
    EXPECT_EQ(to_string(TaskType::ObjectDetection), "object-detection");
    EXPECT_EQ(to_string(TaskType::Classification), "classification");
    EXPECT_EQ(to_string(TaskType::MultiLabelClassification), "multi-label-classification");
}

TEST(DataEntryTest, AllLabelsAreSortedAndUnique) {
    Entry e;
    e.objects = {{"wasp", {}}, {"bee", {}}, {"wasp", {}}};
    e.labels = {"flower", "bee"};
    EXPECT_EQ(e.all_labels(), (std::vector<std::string>{"bee", "flower", "wasp"}));
    EXPECT_TRUE(Entry{}.all_labels().empty());
}

TEST(DataEntryTest, IssueStrNamesFileLineFieldAndCode) {
    const Issue i{"output.manifest", 7, "annotations[1].width", "box-outside-image", "box right edge 520 > image width 450", false};
    EXPECT_EQ(i.str(), "output.manifest:7 annotations[1].width: box-outside-image: box right edge 520 > image width 450");
    const Issue per_file{"a.xml", 0, "", "malformed-xml", "bad", false};
    EXPECT_EQ(per_file.str(), "a.xml: malformed-xml: bad");
    const Issue kept{"a.xml", 0, "object[2]", "zero-area-box", "dropped", true};
    EXPECT_NE(kept.str().find("kept"), std::string::npos);
}

TEST(DataEntryTest, IssueJsonHasEveryField) {
    const Issue i{"m", 3, "source-ref", "image-missing", "why", true};
    EXPECT_EQ(i.to_json().dump(), R"({"file":"m","line":3,"field":"source-ref","code":"image-missing","reason":"why","kept":true})");
}

TEST(DataFormatTest, ParseAndPrint) {
    for (Format f : {Format::Auto, Format::GroundTruth, Format::Voc, Format::Coco, Format::Yolo, Format::Folder})
        EXPECT_EQ(parse_format(to_string(f)), f);
    EXPECT_EQ(parse_format("VOC"), Format::Voc);
    EXPECT_EQ(parse_format("pascal-voc"), Format::Voc);
    EXPECT_EQ(parse_format("ground-truth"), Format::GroundTruth);
    EXPECT_EQ(parse_format("tfrecord"), std::nullopt);
}

TEST(DataPathMappingTest, Parse) {
    const auto m = PathMapping::parse("s3://bucket/images=/data/imgs");
    EXPECT_EQ(m.prefix, "s3://bucket/images");
    EXPECT_EQ(m.dir, "/data/imgs");
    // S3 keys may hold '='; the folder is what follows the last one.
    EXPECT_EQ(PathMapping::parse("s3://b/year=2021=./x").prefix, "s3://b/year=2021");
    EXPECT_THROW(PathMapping::parse("s3://bucket/images"), Error);
    EXPECT_THROW(PathMapping::parse("=dir"), Error);
    EXPECT_THROW(PathMapping::parse("s3://b="), Error);
}

TEST(DataImportReportTest, RejectedCountsOnlyIssuesThatLeftAnEntryOut) {
    ImportReport r;
    r.issues = {{"m", 1, "", "malformed-json", "", false}, {"m", 2, "", "zero-area-box", "", true}, {"m", 3, "", "image-missing", "", false}};
    EXPECT_EQ(r.rejected(), 2u);
    EXPECT_EQ(ImportReport{}.rejected(), 0u);
}

TEST(ValidateLimitsTest, ServiceDefaults) {
    const ValidationLimits l;
    EXPECT_EQ(l.min_side, 64);
    EXPECT_EQ(l.max_side, 4096);
    EXPECT_EQ(l.max_file_bytes, 15 * 1024 * 1024);
    EXPECT_EQ(l.max_boxes, 1000);  // not the service's 50: over it is a kept "many-boxes" issue
    EXPECT_EQ(ValidationLimits::kReferenceMaxBoxes, 50);
}

}  // namespace
}  // namespace apiary::data
