// Dense scenes at import: up to 1,000 boxes by default, images over the reference service's 50
// kept with a "many-boxes" note, and over the limit refused naming the line and the count.
#include <gtest/gtest.h>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

using test::DetectionFixture;
using test::GtBox;
using test::gt_detection;
using test::issues_text;

// Line 2 of three (160x120 images) gets `n` boxes; lines 1 and 3 keep one each.
ImportReport import_with_boxes(DetectionFixture& fx, size_t n, const ImportOptions& options = {}) {
    auto lines = fx.lines;
    lines[1] = gt_detection("images/img1.jpg", 160, 120, std::vector<GtBox>(n, GtBox{0, 10, 10, 20, 20}));
    return import_dataset(fx.write(lines), options);
}

TEST(DenseImport, DefaultLimitIsAThousandBoxes) {
    EXPECT_EQ(ValidationLimits{}.max_boxes, 1000);
    EXPECT_EQ(ImportOptions{}.limits.max_boxes, 1000);  // what the service's import uses
}

TEST(DenseImport, FiftyBoxesRaiseNoIssue) {
    DetectionFixture fx(3);
    const ImportReport r = import_with_boxes(fx, 50);
    EXPECT_EQ(r.entries.size(), 3u);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
}

TEST(DenseImport, OverFiftyIsKeptWithAManyBoxesWarning) {
    DetectionFixture fx(3);
    const ImportReport r = import_with_boxes(fx, 1000);
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_EQ(r.entries[1].objects.size(), 1000u);
    ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
    const Issue& i = r.issues[0];
    EXPECT_EQ(i.code, "many-boxes");
    EXPECT_TRUE(i.kept);
    EXPECT_EQ(i.line, 2);
    EXPECT_EQ(i.field, "annotations");
    EXPECT_NE(i.reason.find("1000 boxes"), std::string::npos) << i.reason;
    EXPECT_NE(i.reason.find("reference service"), std::string::npos) << i.reason;
    EXPECT_EQ(r.rejected(), 0u);
}

TEST(DenseImport, OverTheLimitIsRejectedNamingLineAndCount) {
    DetectionFixture fx(3);
    const ImportReport r = import_with_boxes(fx, 1001);
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);  // no many-boxes next to the rejection
    const Issue& i = r.issues[0];
    EXPECT_EQ(i.code, "too-many-boxes");
    EXPECT_FALSE(i.kept);
    EXPECT_EQ(i.file, (fx.dir / "output.manifest").string());
    EXPECT_EQ(i.line, 2);
    EXPECT_NE(i.reason.find("1001 boxes"), std::string::npos) << i.reason;
    EXPECT_NE(i.reason.find("1000"), std::string::npos) << i.reason;
}

TEST(DenseImport, ALowerLimitRejectsSooner) {
    DetectionFixture fx(3);
    ImportOptions options;
    options.limits.max_boxes = 100;
    EXPECT_EQ(import_with_boxes(fx, 101, options).rejected(), 1u);
    const ImportReport kept = import_with_boxes(fx, 100, options);
    EXPECT_EQ(kept.entries.size(), 3u);
    ASSERT_EQ(kept.issues.size(), 1u) << issues_text(kept);
    EXPECT_EQ(kept.issues[0].code, "many-boxes");
}

TEST(DenseImport, ManifestTextUsesTheSameLimits) {
    // The service imports request bodies through import_manifest_text.
    DetectionFixture fx(1);
    ImportOptions options;
    options.resolver = [&](const std::string& ref) -> std::optional<std::filesystem::path> { return fx.dir / ref; };
    options.confinement = SourceConfinement::ResolverOnly;
    const Json line = gt_detection("images/img0.jpg", 160, 120, std::vector<GtBox>(60, GtBox{0, 10, 10, 20, 20}));
    const ImportReport r = import_manifest_text(line.dump() + "\n", "s3://b/train.manifest", options);
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    ASSERT_EQ(r.issues.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "many-boxes");
}

}  // namespace
}  // namespace apiary::data
