// Folder-per-label import of pictures in formats Apiary does not train on (GIF, WebP, TIFF,
// HEIC, AVIF ...): each one is reported with its file and left out, never silently dropped.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// A real 2x2 GIF89a (OpenCV writes no GIF).
std::string gif_bytes() {
    static const char kGif[] =
        "GIF89a\x02\x00\x02\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00"
        ",\x00\x00\x00\x00\x02\x00\x02\x00\x00\x02\x02\x84\x51\x00;";
    return std::string(kGif, sizeof kGif - 1);
}

// The start of an HEIC / AVIF file: an ISO-BMFF "ftyp" box with its brand.
std::string iso_bmff(const std::string& brand) {
    return std::string("\x00\x00\x00\x18", 4) + "ftyp" + brand + std::string("\x00\x00\x00\x00", 4) + brand + "mif1" +
           std::string(64, '\0');
}

TEST(FolderFormatsTest, PicturesInOtherFormatsAreReportedAndLeftOut) {
    TempDir dir;
    write_test_image(dir / "bee/1.jpg", 100, 100, 1);
    write_test_image(dir / "wasp/2.png", 100, 100, 2);
    write_bytes(dir / "bee/3.gif", gif_bytes());
    write_test_image(dir / "bee/4.webp", 100, 100, 4);
    write_test_image(dir / "wasp/5.tif", 100, 100, 5);
    write_bytes(dir / "wasp/6.HEIC", iso_bmff("heic"));
    write_bytes(dir / "bee/7.avif", iso_bmff("avif"));
    write_text(dir / "bee/notes.txt", "not a picture: no report");
    ImportOptions opts;
    opts.format = Format::Folder;
    const ImportReport r = import_dataset(dir.path(), opts);
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.records, 7u);
    std::set<std::string> reported;
    for (const auto& issue : r.issues) {
        EXPECT_EQ(issue.code, "unsupported-format") << issue.file << ": " << issue.reason;
        EXPECT_FALSE(issue.kept) << issue.file;
        EXPECT_NE(issue.reason.find("JPEG"), std::string::npos) << issue.reason;  // what it takes instead
        reported.insert(std::filesystem::path(issue.file).filename().string());
    }
    EXPECT_EQ(reported, (std::set<std::string>{"3.gif", "4.webp", "5.tif", "6.HEIC", "7.avif"})) << issues_text(r);
}

}  // namespace
}  // namespace apiary::data
