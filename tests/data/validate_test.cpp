// One test per validation code: the bad record is reported with its code, line and field, and
// the good records around it are still imported.
#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::DetectionFixture;
using test::GtBox;
using test::gt_detection;
using test::issues_text;
using test::write_test_image;
using test::write_text;

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Three valid lines; line 2 is replaced by `bad` (a JSON value or raw text).
class ValidateTest : public ::testing::Test {
protected:
    DetectionFixture fx{3};

    ImportReport import_with_raw_line2(const std::string& bad, const ImportOptions& opts = {}) {
        test::write_text(fx.dir / "output.manifest", fx.lines[0].dump() + "\n" + bad + "\n" + fx.lines[2].dump() + "\n");
        return import_dataset(fx.dir / "output.manifest", opts);
    }
    ImportReport import_with_line2(const Json& bad, const ImportOptions& opts = {}) { return import_with_raw_line2(bad.dump(), opts); }

    // Exactly one issue, on line 2, and lines 1 and 3 imported.
    Issue expect_line2_rejected(const ImportReport& r, const std::string& code, const std::string& field) {
        EXPECT_EQ(r.records, 3u);
        EXPECT_EQ(r.entries.size(), 2u) << issues_text(r);
        if (r.entries.size() == 2) {
            EXPECT_EQ(r.entries[0].source_ref, "images/img0.jpg");
            EXPECT_EQ(r.entries[1].source_ref, "images/img2.jpg");
        }
        EXPECT_EQ(r.issues.size(), 1u) << issues_text(r);
        if (r.issues.empty()) return {};
        const Issue& i = r.issues[0];
        EXPECT_EQ(i.code, code) << i.str();
        EXPECT_EQ(i.line, 2) << i.str();
        EXPECT_EQ(i.field, field) << i.str();
        EXPECT_EQ(i.file, (fx.dir / "output.manifest").string());
        EXPECT_FALSE(i.kept);
        EXPECT_FALSE(i.reason.empty());
        EXPECT_EQ(r.rejected(), 1u);
        return i;
    }

    Json line_for(const std::string& image, int w, int h, const std::vector<GtBox>& boxes = {{0, 10, 10, 20, 20}}) {
        return gt_detection(image, w, h, boxes);
    }
};

TEST_F(ValidateTest, AllValid) {
    const ImportReport r = import_with_line2(fx.lines[1]);
    EXPECT_EQ(r.entries.size(), 3u);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
}

TEST_F(ValidateTest, MalformedJson) {
    const Issue i = expect_line2_rejected(import_with_raw_line2(R"({"source-ref": "images/img1.jpg", "bees": {)"), "malformed-json", "");
    EXPECT_NE(i.reason.find("parse error"), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, LineThatIsNotAnObjectIsMalformedJson) {
    expect_line2_rejected(import_with_raw_line2("[1, 2, 3]"), "malformed-json", "");
}

TEST_F(ValidateTest, MissingSourceRef) {
    Json bad = fx.lines[1];
    bad.erase("source-ref");
    expect_line2_rejected(import_with_line2(bad), "missing-source-ref", "source-ref");
}

TEST_F(ValidateTest, EmptySourceRef) {
    Json bad = fx.lines[1];
    bad["source-ref"] = "";
    expect_line2_rejected(import_with_line2(bad), "missing-source-ref", "source-ref");
}

TEST_F(ValidateTest, SourceRefOfWrongType) {
    Json bad = fx.lines[1];
    bad["source-ref"] = 42;
    expect_line2_rejected(import_with_line2(bad), "invalid-field", "source-ref");
}

TEST_F(ValidateTest, UnmappedS3Ref) {
    Json bad = fx.lines[1];
    bad["source-ref"] = "s3://bucket/images/img1.jpg";
    const Issue i = expect_line2_rejected(import_with_line2(bad), "unmapped-source-ref", "source-ref");
    EXPECT_NE(i.reason.find("--map"), std::string::npos);
}

TEST_F(ValidateTest, ImageMissing) {
    Json bad = fx.lines[1];
    bad["source-ref"] = "images/nope.jpg";
    const Issue i = expect_line2_rejected(import_with_line2(bad), "image-missing", "source-ref");
    EXPECT_NE(i.reason.find("nope.jpg"), std::string::npos);
}

TEST_F(ValidateTest, ImageIsAFolder) {
    fs::create_directories(fx.dir / "images/folder.jpg");
    expect_line2_rejected(import_with_line2(line_for("images/folder.jpg", 160, 120)), "image-missing", "source-ref");
}

TEST_F(ValidateTest, TruncatedJpegIsUndecodable) {
    const std::string bytes = read_bytes(fx.dir / "images/img1.jpg");
    write_text(fx.dir / "images/img1.jpg", bytes.substr(0, bytes.size() * 2 / 3));
    const Issue i = expect_line2_rejected(import_with_line2(fx.lines[1]), "image-undecodable", "source-ref");
    EXPECT_NE(i.reason.find("cut short"), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, JpegMissingOnlyItsLastBlocksIsKeptWithAnIssue) {
    write_test_image(fx.dir / "images/big.jpg", 800, 600, 5);
    const std::string bytes = read_bytes(fx.dir / "images/big.jpg");
    write_text(fx.dir / "images/big.jpg", bytes.substr(0, bytes.size() - 100));  // < 1% of the scan
    const ImportReport r = import_with_line2(line_for("images/big.jpg", 800, 600));
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "image-truncated");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_EQ(r.issues[0].field, "source-ref");
    EXPECT_TRUE(r.issues[0].kept);
    EXPECT_FALSE(r.entries[1].image.complete);
}

TEST_F(ValidateTest, ProgressiveJpegWithoutEndMarkerIsUndecodable) {
    // Its scans are not walked, so even a missing end marker alone rejects it.
    cv::Mat img(120, 160, CV_8UC3, cv::Scalar(20, 90, 160));
    ASSERT_TRUE(cv::imwrite((fx.dir / "images/p.jpg").string(), img, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
    const std::string bytes = read_bytes(fx.dir / "images/p.jpg");
    write_text(fx.dir / "images/p.jpg", bytes.substr(0, bytes.size() - 2));
    expect_line2_rejected(import_with_line2(line_for("images/p.jpg", 160, 120)), "image-undecodable", "source-ref");
}

TEST_F(ValidateTest, TruncatedPngIsUndecodable) {
    write_test_image(fx.dir / "images/p.png", 160, 120, 5);
    const std::string bytes = read_bytes(fx.dir / "images/p.png");
    write_text(fx.dir / "images/p.png", bytes.substr(0, bytes.size() - 12));
    expect_line2_rejected(import_with_line2(line_for("images/p.png", 160, 120)), "image-undecodable", "source-ref");
}

TEST_F(ValidateTest, MalformedHeaderIsUndecodable) {
    write_text(fx.dir / "images/bad.jpg", std::string("\xFF\xD8\xFF\xE0\x00\x10", 6) + std::string(300, 'x'));
    expect_line2_rejected(import_with_line2(line_for("images/bad.jpg", 160, 120)), "image-undecodable", "source-ref");
}

TEST_F(ValidateTest, BmpIsUnsupported) {
    write_test_image(fx.dir / "images/a.bmp", 160, 120, 5);
    const Issue i = expect_line2_rejected(import_with_line2(line_for("images/a.bmp", 160, 120)), "unsupported-format", "source-ref");
    EXPECT_NE(i.reason.find("bmp"), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, TextFileIsUnsupported) {
    write_text(fx.dir / "images/notes.jpg", "just some text, not an image at all");
    expect_line2_rejected(import_with_line2(line_for("images/notes.jpg", 160, 120)), "unsupported-format", "source-ref");
}

TEST_F(ValidateTest, ImageTooSmall) {
    write_test_image(fx.dir / "images/small.jpg", 63, 100, 5);
    expect_line2_rejected(import_with_line2(line_for("images/small.jpg", 63, 100)), "image-too-small", "source-ref");
}

TEST_F(ValidateTest, SmallestAllowedSideIsKept) {
    write_test_image(fx.dir / "images/edge.jpg", 64, 64, 5);
    EXPECT_EQ(import_with_line2(line_for("images/edge.jpg", 64, 64)).entries.size(), 3u);
}

TEST_F(ValidateTest, ImageTooLarge) {
    write_test_image(fx.dir / "images/wide.jpg", 4097, 64, 5);
    const Issue i = expect_line2_rejected(import_with_line2(line_for("images/wide.jpg", 4097, 64)), "image-too-large", "source-ref");
    EXPECT_NE(i.reason.find("4097x64"), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, FileTooLarge) {
    // A real JPEG padded past 15 MB with comment segments, which a header probe walks over.
    const std::string jpeg = read_bytes(fx.dir / "images/img1.jpg");
    std::string padded = jpeg.substr(0, 2);
    const std::string comment = std::string("\xFF\xFE\xFF\xFF", 4) + std::string(65533, 'c');
    while (padded.size() < 15 * 1024 * 1024 + 10) padded += comment;
    padded += jpeg.substr(2);
    write_text(fx.dir / "images/big.jpg", padded);
    const Issue i = expect_line2_rejected(import_with_line2(line_for("images/big.jpg", 160, 120)), "file-too-large", "source-ref");
    EXPECT_NE(i.reason.find(std::to_string(15 * 1024 * 1024)), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, FileSizeLimitIsConfigurable) {
    ImportOptions opts;
    opts.limits.max_file_bytes = 1000;
    const ImportReport r = import_with_line2(fx.lines[1], opts);
    EXPECT_TRUE(r.entries.empty());
    EXPECT_EQ(r.issues.size(), 3u);
    EXPECT_EQ(r.issues[0].code, "file-too-large");
}

TEST_F(ValidateTest, BoxOutsideImage) {
    const Issue i = expect_line2_rejected(import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, 10, 10, 20, 20}, {0, 100, 5, 70, 20}})),
                                           "box-outside-image", "annotations[1].width");
    EXPECT_EQ(i.reason, "box right edge 170 > image width 160");
    EXPECT_EQ(i.str(), (fx.dir / "output.manifest").string() + ":2 annotations[1].width: box-outside-image: box right edge 170 > image width 160");
}

TEST_F(ValidateTest, BoxOutsideImageOnEachEdge) {
    struct Case {
        GtBox box;
        std::string field;
    };
    for (const Case& c : {Case{{0, -0.6, 0, 10, 10}, "annotations[0].left"}, Case{{0, 0, -1, 10, 10}, "annotations[0].top"},
                          Case{{0, 100, 100, 10, 30}, "annotations[0].height"}}) {
        const ImportReport r = import_with_line2(gt_detection("images/img1.jpg", 160, 120, {c.box}));
        expect_line2_rejected(r, "box-outside-image", c.field);
    }
}

TEST_F(ValidateTest, HalfPixelOvershootIsTolerated) {
    const ImportReport r = import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, -0.5, -0.4, 160.9, 120.5}}));
    EXPECT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty());
}

TEST_F(ValidateTest, ZeroAreaBoxIsDroppedAndTheEntryKept) {
    const ImportReport r = import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, 10, 10, 20, 20}, {1, 50, 50, 0, 0}, {0, 30, 30, 5, 0}}));
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    ASSERT_EQ(r.entries[1].objects.size(), 1u);
    EXPECT_EQ(r.entries[1].objects[0].box, (Box{10, 10, 20, 20}));
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "zero-area-box");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_EQ(r.issues[0].field, "annotations[1]");
    EXPECT_TRUE(r.issues[0].kept);
    EXPECT_EQ(r.issues[1].field, "annotations[2]");
    EXPECT_EQ(r.rejected(), 0u);
}

TEST_F(ValidateTest, KeptIssuesAreNotReportedForARejectedEntry) {
    const ImportReport r = import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, 50, 50, 0, 0}, {0, 150, 10, 20, 20}}));
    expect_line2_rejected(r, "box-outside-image", "annotations[1].width");
}

TEST_F(ValidateTest, TooManyBoxes) {
    ImportOptions opts;
    opts.limits.max_boxes = 20;  // the default (1000) is covered in dense_import_test.cpp
    std::vector<GtBox> boxes(21, GtBox{0, 10, 10, 20, 20});
    expect_line2_rejected(import_with_line2(gt_detection("images/img1.jpg", 160, 120, boxes), opts), "too-many-boxes", "annotations");
    boxes.pop_back();
    EXPECT_EQ(import_with_line2(gt_detection("images/img1.jpg", 160, 120, boxes), opts).entries.size(), 3u);
}

TEST_F(ValidateTest, UnknownClassId) {
    const Issue i = expect_line2_rejected(import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, 1, 1, 5, 5}, {7, 1, 1, 5, 5}})),
                                           "unknown-class-id", "annotations[1].class_id");
    EXPECT_NE(i.reason.find("7"), std::string::npos);
}

TEST_F(ValidateTest, ImageSizeMismatch) {
    const Issue i = expect_line2_rejected(import_with_line2(gt_detection("images/img1.jpg", 200, 120, {{0, 1, 1, 5, 5}})),
                                           "image-size-mismatch", "image_size[0]");
    EXPECT_NE(i.reason.find("200x120"), std::string::npos);
    EXPECT_NE(i.reason.find("160x120"), std::string::npos);
}

TEST_F(ValidateTest, DuplicatePathIsReportedOnTheLaterLineNamingTheFirst) {
    Json dup = fx.lines[0];
    dup["source-ref"] = "images/./img0.jpg";
    test::write_text(fx.dir / "output.manifest", test::join_lines(std::vector<Json>{fx.lines[0], fx.lines[1], dup, fx.lines[2]}));
    const ImportReport r = import_dataset(fx.dir / "output.manifest");
    ASSERT_EQ(r.entries.size(), 3u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "duplicate-image");
    EXPECT_EQ(r.issues[0].line, 3);
    EXPECT_EQ(r.issues[0].field, "source-ref");
    EXPECT_FALSE(r.issues[0].kept);
    EXPECT_NE(r.issues[0].reason.find("output.manifest:1"), std::string::npos) << r.issues[0].reason;
}

TEST_F(ValidateTest, DuplicateContentUnderAnotherNameIsReportedAndKept) {
    fs::copy_file(fx.dir / "images/img0.jpg", fx.dir / "images/copy.jpg");
    const ImportReport r = import_with_line2(line_for("images/copy.jpg", 160, 120));
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_EQ(r.entries[1].sha256, r.entries[0].sha256);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "duplicate-image");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_TRUE(r.issues[0].kept);
    EXPECT_NE(r.issues[0].reason.find("img0.jpg"), std::string::npos) << r.issues[0].reason;
}

TEST_F(ValidateTest, RejectedLineDoesNotClaimItsImage) {
    // A bad line naming img1 first must not make the good img1 line a duplicate.
    const Json bad = gt_detection("images/img1.jpg", 160, 120, {{9, 1, 1, 5, 5}});
    test::write_text(fx.dir / "output.manifest", test::join_lines(std::vector<Json>{bad, fx.lines[0], fx.lines[1], fx.lines[2]}));
    const ImportReport r = import_dataset(fx.dir / "output.manifest");
    EXPECT_EQ(r.entries.size(), 3u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unknown-class-id");
}

TEST_F(ValidateTest, NonNumericCoordinate) {
    Json bad = fx.lines[1];
    bad["bees"]["annotations"][0]["left"] = "abc";
    const Issue i = expect_line2_rejected(import_with_line2(bad), "invalid-field", "annotations[0].left");
    EXPECT_NE(i.reason.find("abc"), std::string::npos) << i.reason;
}

TEST_F(ValidateTest, NegativeWidth) {
    const Issue i = expect_line2_rejected(import_with_line2(gt_detection("images/img1.jpg", 160, 120, {{0, 50, 10, -20, 20}})),
                                           "invalid-field", "annotations[0].width");
    EXPECT_NE(i.reason.find("negative"), std::string::npos);
}

TEST_F(ValidateTest, MissingCoordinate) {
    Json bad = fx.lines[1];
    bad["bees"]["annotations"][0].erase("top");
    expect_line2_rejected(import_with_line2(bad), "missing-field", "annotations[0].top");
}

TEST_F(ValidateTest, FractionalClassId) {
    Json bad = fx.lines[1];
    bad["bees"]["annotations"][0]["class_id"] = 0.5;
    expect_line2_rejected(import_with_line2(bad), "invalid-field", "annotations[0].class_id");
}

TEST_F(ValidateTest, InvalidImageSize) {
    Json bad = fx.lines[1];
    bad["bees"]["image_size"][0]["height"] = "tall";
    expect_line2_rejected(import_with_line2(bad), "invalid-field", "image_size[0].height");
}

TEST_F(ValidateTest, AnnotationsNotAnArray) {
    Json bad = fx.lines[1];
    bad["bees"]["annotations"] = Json{{"class_id", 0}};
    expect_line2_rejected(import_with_line2(bad), "invalid-field", "annotations");
}

TEST_F(ValidateTest, MissingClassMap) {
    Json bad = fx.lines[1];
    bad["bees-metadata"].erase("class-map");
    expect_line2_rejected(import_with_line2(bad), "missing-field", "bees-metadata.class-map");
}

TEST_F(ValidateTest, NoLabelAttribute) {
    Json bad = fx.lines[1];
    bad.erase("bees-metadata");
    expect_line2_rejected(import_with_line2(bad), "missing-label", "");
}

TEST_F(ValidateTest, UnsupportedLabelType) {
    Json bad = fx.lines[1];
    bad["bees-metadata"]["type"] = "groundtruth/semantic-segmentation";
    const Issue i = expect_line2_rejected(import_with_line2(bad), "missing-label", "");
    EXPECT_NE(i.reason.find("semantic-segmentation"), std::string::npos);
}

TEST_F(ValidateTest, MetadataWithoutItsAttribute) {
    Json bad = fx.lines[1];
    bad.erase("bees");
    expect_line2_rejected(import_with_line2(bad), "missing-field", "bees");
}

TEST_F(ValidateTest, HugeNumbersAreReportedNotCrashed) {
    const Issue i = expect_line2_rejected(
        import_with_raw_line2(R"({"source-ref": "images/img1.jpg", "bees": {"annotations": [{"class_id": 0, "left": 1e999, "top": 1, "width": 1, "height": 1}]}, "bees-metadata": {"class-map": {"0": "bee"}, "type": "groundtruth/object-detection"}})"),
        "malformed-json", "");
    EXPECT_NE(i.reason.find("1e999"), std::string::npos) << i.reason;
}

}  // namespace
}  // namespace apiary::data
