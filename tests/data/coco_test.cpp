#include <gtest/gtest.h>

#include "core/error.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

struct CocoFixture {
    TempDir dir;
    Json doc;
    CocoFixture() {
        write_test_image(dir / "a.jpg", 200, 100, 1);          // beside the json
        write_test_image(dir / "images/b.jpg", 120, 90, 2);    // in images/ beside it
        write_test_image(dir / "images/c.png", 100, 100, 3);
        doc = Json{{"images", Json::array({{{"id", 1}, {"file_name", "a.jpg"}, {"width", 200}, {"height", 100}},
                                           {{"id", 2}, {"file_name", "b.jpg"}, {"width", 120}, {"height", 90}},
                                           {{"id", 7}, {"file_name", "c.png"}}})},
                   {"annotations", Json::array({{{"id", 1}, {"image_id", 1}, {"category_id", 3}, {"bbox", {10, 20, 30, 40}}},
                                                {{"id", 2}, {"image_id", 2}, {"category_id", 5}, {"bbox", {1.5, 2, 3, 4}}},
                                                {{"id", 3}, {"image_id", 1}, {"category_id", 5}, {"bbox", {0, 0, 200, 100}}}})},
                   {"categories", Json::array({{{"id", 3}, {"name", "bee"}}, {{"id", 5}, {"name", "flower"}}})}};
    }
    fs::path write() const {
        write_text(dir / "instances.json", doc.dump());
        return dir / "instances.json";
    }
};

TEST(CocoTest, ReadsImagesBoxesAndCategories) {
    CocoFixture fx;
    const ImportReport r = import_dataset(fx.write());
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
    EXPECT_EQ(r.records, 3u);
    EXPECT_EQ(r.entries[0].image_path, fx.dir / "a.jpg");
    ASSERT_EQ(r.entries[0].objects.size(), 2u);
    EXPECT_EQ(r.entries[0].objects[0].label, "bee");
    EXPECT_EQ(r.entries[0].objects[0].box, (Box{10, 20, 30, 40}));
    EXPECT_EQ(r.entries[0].objects[1].label, "flower");
    EXPECT_EQ(r.entries[1].image_path, fx.dir / "images/b.jpg");
    EXPECT_EQ(r.entries[1].objects[0].box, (Box{1.5, 2, 3, 4}));
    EXPECT_TRUE(r.entries[2].objects.empty());
}

TEST(CocoTest, UnknownCategoryRejectsItsImage) {
    CocoFixture fx;
    fx.doc["annotations"][1]["category_id"] = 99;
    const ImportReport r = import_dataset(fx.write());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unknown-class-id");
    EXPECT_EQ(r.issues[0].field, "annotations[1].category_id");
    EXPECT_EQ(r.issues[0].line, 0);
}

TEST(CocoTest, AnnotationForAnUnknownImage) {
    CocoFixture fx;
    fx.doc["annotations"].push_back({{"id", 9}, {"image_id", 42}, {"category_id", 3}, {"bbox", {1, 1, 1, 1}}});
    const ImportReport r = import_dataset(fx.write());
    EXPECT_EQ(r.entries.size(), 3u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unknown-image-id");
    EXPECT_EQ(r.issues[0].field, "annotations[3].image_id");
}

TEST(CocoTest, BadBbox) {
    CocoFixture fx;
    fx.doc["annotations"][0]["bbox"] = Json::array({1, 2, "w", 4});
    fx.doc["annotations"][1]["bbox"] = Json::array({1, 2, 3});
    const ImportReport r = import_dataset(fx.write());
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].field, "annotations[0].bbox[2]");
    EXPECT_EQ(r.issues[1].field, "annotations[1].bbox");
    EXPECT_EQ(r.issues[1].code, "invalid-field");
}

TEST(CocoTest, BoxOutsideNamesTheBboxElement) {
    CocoFixture fx;
    fx.doc["annotations"][2]["bbox"] = Json::array({0, 0, 200, 101});
    const ImportReport r = import_dataset(fx.write());
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "box-outside-image");
    EXPECT_EQ(r.issues[0].field, "annotations[2].bbox[3]");
}

TEST(CocoTest, MissingImageAndSizeMismatch) {
    CocoFixture fx;
    fx.doc["images"][0]["file_name"] = "nope.jpg";
    fx.doc["images"][1]["width"] = 999;
    const ImportReport r = import_dataset(fx.write());
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "image-missing");
    EXPECT_EQ(r.issues[0].field, "images[0].file_name");
    EXPECT_EQ(r.issues[1].code, "image-size-mismatch");
    EXPECT_EQ(r.issues[1].field, "images[1]");
}

TEST(CocoTest, DuplicateImageIdAndMissingFileName) {
    CocoFixture fx;
    fx.doc["images"][2]["id"] = 1;
    fx.doc["images"].push_back({{"id", 8}});
    const ImportReport r = import_dataset(fx.write());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].field, "images[2].id");
    EXPECT_EQ(r.issues[1].code, "missing-field");
    EXPECT_EQ(r.issues[1].field, "images[3].file_name");
}

TEST(CocoTest, UnusableFileThrows) {
    TempDir dir;
    write_text(dir / "bad.json", "{\"images\": [");
    EXPECT_THROW(import_dataset(dir / "bad.json"), Error);
    write_text(dir / "noimages.json", "{\"annotations\": []}");
    EXPECT_THROW(import_dataset(dir / "noimages.json"), Error);
    write_text(dir / "array.json", "[]");
    EXPECT_THROW(import_dataset(dir / "array.json"), Error);
}

}  // namespace
}  // namespace apiary::data
