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

struct YoloFixture {
    TempDir dir;
    YoloFixture() {
        write_test_image(dir / "images/a.jpg", 200, 100, 1);
        write_test_image(dir / "images/b.jpg", 100, 100, 2);
        write_test_image(dir / "images/c.png", 100, 100, 3);
        write_text(dir / "labels/a.txt", "0 0.5 0.5 0.2 0.4\n1 0.25 0.75 0.5 0.5\n");
        write_text(dir / "labels/b.txt", "\n1 0.5 0.5 1 1\n");
        write_text(dir / "classes.txt", "bee\nflower\n");
    }
};

TEST(YoloTest, ConvertsNormalisedCentresToPixelBoxes) {
    YoloFixture fx;
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
    ASSERT_EQ(r.entries[0].objects.size(), 2u);
    EXPECT_EQ(r.entries[0].objects[0].label, "bee");
    EXPECT_EQ(r.entries[0].objects[0].box, (Box{80, 30, 40, 40}));
    EXPECT_EQ(r.entries[0].objects[1].label, "flower");
    EXPECT_EQ(r.entries[0].objects[1].box, (Box{0, 50, 100, 50}));
    EXPECT_EQ(r.entries[1].objects[0].box, (Box{0, 0, 100, 100}));
    EXPECT_TRUE(r.entries[2].objects.empty());  // no label file: a negative example
}

TEST(YoloTest, NamesFromObjNamesAndDataYaml) {
    {
        YoloFixture fx;
        fs::remove(fx.dir / "classes.txt");
        write_text(fx.dir / "obj.names", "wasp\nant\n");
        EXPECT_EQ(import_dataset(fx.dir.path()).entries.at(0).objects.at(1).label, "ant");
    }
    {
        YoloFixture fx;
        fs::remove(fx.dir / "classes.txt");
        write_text(fx.dir / "data.yaml", "path: .\ntrain: images\nnames: ['wasp', \"ant\"]\nnc: 2\n");
        EXPECT_EQ(import_dataset(fx.dir.path()).entries.at(0).objects.at(1).label, "ant");
    }
    {
        YoloFixture fx;
        fs::remove(fx.dir / "classes.txt");
        write_text(fx.dir / "data.yaml", "names:\n  0: wasp\n  1: ant\nnc: 2\n");
        EXPECT_EQ(import_dataset(fx.dir.path()).entries.at(0).objects.at(1).label, "ant");
    }
    {
        YoloFixture fx;
        fs::remove(fx.dir / "classes.txt");
        write_text(fx.dir / "data.yaml", "names:\n- wasp\n- ant\n");
        EXPECT_EQ(import_dataset(fx.dir.path()).entries.at(0).objects.at(1).label, "ant");
    }
}

TEST(YoloTest, MissingNamesFileThrows) {
    YoloFixture fx;
    fs::remove(fx.dir / "classes.txt");
    EXPECT_THROW(import_dataset(fx.dir.path()), Error);
}

TEST(YoloTest, UnknownClassNamesTheRow) {
    YoloFixture fx;
    write_text(fx.dir / "labels/a.txt", "0 0.5 0.5 0.2 0.4\n2 0.5 0.5 0.2 0.4\n");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "unknown-class-id");
    EXPECT_EQ(r.issues[0].file, (fx.dir / "labels/a.txt").string());
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_EQ(r.issues[0].field, "class");
}

TEST(YoloTest, BadRows) {
    YoloFixture fx;
    write_text(fx.dir / "labels/a.txt", "0 0.5 0.5 0.2\n");
    write_text(fx.dir / "labels/b.txt", "0 0.5 x 0.2 0.1\n");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].code, "invalid-field");
    EXPECT_EQ(r.issues[0].line, 1);
    EXPECT_EQ(r.issues[1].field, "y_center");
}

TEST(YoloTest, BoxOutsideAndZeroArea) {
    YoloFixture fx;
    write_text(fx.dir / "labels/a.txt", "0 0.5 0.5 0.2 0.4\n0 0.5 0.5 0 0.4\n");
    write_text(fx.dir / "labels/b.txt", "1 0.9 0.5 0.4 0.4\n");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "zero-area-box");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_TRUE(r.issues[0].kept);
    EXPECT_EQ(r.issues[1].code, "box-outside-image");
    EXPECT_EQ(r.issues[1].line, 1);
    EXPECT_EQ(r.issues[1].field, "width");
}

TEST(YoloTest, UltralyticsSplitFolders) {
    TempDir dir;
    write_test_image(dir / "images/train/a.jpg", 100, 100, 1);
    write_test_image(dir / "images/val/b.jpg", 100, 100, 2);
    write_text(dir / "labels/train/a.txt", "0 0.5 0.5 0.5 0.5\n");
    write_text(dir / "labels/val/b.txt", "0 0.5 0.5 0.5 0.5\n");
    write_text(dir / "data.yaml", "names: [bee]\n");
    const ImportReport r = import_dataset(dir.path());
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.entries[0].split, Split::Train);
    EXPECT_EQ(r.entries[1].split, Split::Test);
    EXPECT_EQ(r.entries[1].objects.size(), 1u);
}

}  // namespace
}  // namespace apiary::data
