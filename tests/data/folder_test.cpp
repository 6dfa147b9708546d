#include <gtest/gtest.h>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

TEST(FolderTest, OneLabelPerFolder) {
    TempDir dir;
    write_test_image(dir / "bee/1.jpg", 100, 100, 1);
    write_test_image(dir / "bee/2.png", 100, 100, 2);
    write_test_image(dir / "wasp/nested/3.jpg", 100, 100, 3);
    write_text(dir / "wasp/notes.txt", "not an image");
    write_test_image(dir / ".hidden/4.jpg", 100, 100, 4);
    const ImportReport r = import_dataset(dir.path());
    EXPECT_EQ(r.task, TaskType::Classification);
    ASSERT_EQ(r.entries.size(), 3u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty());
    EXPECT_EQ(r.entries[0].labels, std::vector<std::string>{"bee"});
    EXPECT_EQ(r.entries[2].labels, std::vector<std::string>{"wasp"});
    EXPECT_EQ(r.entries[2].source_ref, "wasp/nested/3.jpg");
}

TEST(FolderTest, ImagesOutsideALabelFolderAreReported) {
    TempDir dir;
    write_test_image(dir / "bee/1.jpg", 100, 100, 1);
    write_test_image(dir / "loose.jpg", 100, 100, 2);
    ImportOptions opts;
    opts.format = Format::Folder;
    const ImportReport r = import_dataset(dir.path(), opts);
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "missing-label");
    EXPECT_EQ(r.issues[0].file, (dir / "loose.jpg").string());
}

TEST(FolderTest, ImageChecksApply) {
    TempDir dir;
    write_test_image(dir / "bee/1.jpg", 100, 100, 1);
    write_test_image(dir / "bee/2.gif.bmp", 100, 100, 2);
    write_test_image(dir / "bee/tiny.jpg", 32, 32, 3);
    const ImportReport r = import_dataset(dir.path());
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].code, "unsupported-format");
    EXPECT_EQ(r.issues[1].code, "image-too-small");
}

}  // namespace
}  // namespace apiary::data
