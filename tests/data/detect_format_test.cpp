#include <gtest/gtest.h>

#include "core/error.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_test_image;
using test::write_text;

TEST(DataDetectFormatTest, Files) {
    TempDir dir;
    for (const char* name : {"a.manifest", "a.jsonl", "a.jsonlines", "a.json", "a.csv"}) write_text(dir / name, "");
    EXPECT_EQ(detect_format(dir / "a.manifest"), Format::GroundTruth);
    EXPECT_EQ(detect_format(dir / "a.jsonl"), Format::GroundTruth);
    EXPECT_EQ(detect_format(dir / "a.jsonlines"), Format::GroundTruth);
    EXPECT_EQ(detect_format(dir / "a.json"), Format::Coco);
    EXPECT_THROW(detect_format(dir / "a.csv"), Error);
}

TEST(DataDetectFormatTest, Folders) {
    TempDir voc, yolo, folder, empty;
    fs::create_directories(voc / "Annotations");
    fs::create_directories(yolo / "images");
    fs::create_directories(yolo / "labels");
    write_test_image(folder / "bee/1.jpg", 64, 64);
    EXPECT_EQ(detect_format(voc.path()), Format::Voc);
    EXPECT_EQ(detect_format(yolo.path()), Format::Yolo);
    EXPECT_EQ(detect_format(folder.path()), Format::Folder);
    EXPECT_THROW(detect_format(empty.path()), Error);
}

TEST(DataDetectFormatTest, MissingSourceThrowsNamingIt) {
    TempDir dir;
    try {
        detect_format(dir / "ghost");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("ghost"), std::string::npos);
    }
    EXPECT_THROW(import_dataset(dir / "ghost"), Error);
}

TEST(DataDetectFormatTest, FormatThatNeedsAFolderRejectsAFile) {
    TempDir dir;
    write_text(dir / "a.manifest", "");
    ImportOptions opts;
    opts.format = Format::Voc;
    EXPECT_THROW(import_dataset(dir / "a.manifest", opts), Error);
}

}  // namespace
}  // namespace apiary::data
