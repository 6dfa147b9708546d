// The real datasets under ../shared/datasets, when present.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::issues_text;

std::set<std::string> labels_of(const ImportReport& r) {
    std::set<std::string> out;
    for (const auto& e : r.entries)
        for (const auto& l : e.all_labels()) out.insert(l);
    return out;
}

size_t box_count(const ImportReport& r) {
    size_t n = 0;
    for (const auto& e : r.entries) n += e.objects.size();
    return n;
}

TEST(DataSharedDatasetTest, KangarooManifest) {
    const auto dir = test::shared_dataset("kangaroo");
    if (!dir) GTEST_SKIP() << "shared dataset 'kangaroo' not present";
    ImportOptions opts;
    opts.maps = {PathMapping::parse("s3://apiary-samples/kangaroo/images=" + (*dir / "images").string())};
    const ImportReport r = import_dataset(*dir / "output.manifest", opts);
    EXPECT_EQ(r.task, TaskType::ObjectDetection);
    EXPECT_EQ(r.records, 164u);
    EXPECT_EQ(r.entries.size(), 164u) << issues_text(r);
    EXPECT_EQ(box_count(r), 266u);
    EXPECT_EQ(labels_of(r), std::set<std::string>{"kangaroo"});
    EXPECT_EQ(r.rejected(), 0u) << issues_text(r);
    // Two known quirks, both reported and kept: 00033.jpg is a byte-for-byte copy of 00007.jpg
    // (each line carries its own labels), and 00090.jpg ends 3 of its 925 MCUs short.
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "duplicate-image");
    EXPECT_NE(r.issues[0].reason.find("00007.jpg"), std::string::npos);
    EXPECT_EQ(r.issues[1].code, "image-truncated");
    EXPECT_NE(r.issues[1].reason.find("00090.jpg"), std::string::npos);
    for (const auto& i : r.issues) EXPECT_TRUE(i.kept) << i.str();
    for (const auto& e : r.entries) {
        EXPECT_EQ(e.image.format, vision::ImageFormat::Jpeg);
        EXPECT_EQ(e.sha256.size(), 64u);
        EXPECT_TRUE(e.image_path.is_absolute());
    }
}

TEST(DataSharedDatasetTest, BccdVoc) {
    const auto dir = test::shared_dataset("bccd");
    if (!dir) GTEST_SKIP() << "shared dataset 'bccd' not present";
    const ImportReport r = import_dataset(*dir);
    EXPECT_EQ(r.records, 364u);
    EXPECT_EQ(r.entries.size(), 364u) << issues_text(r);
    EXPECT_EQ(labels_of(r), (std::set<std::string>{"RBC", "WBC", "Platelets"}));
    EXPECT_EQ(r.rejected(), 0u) << issues_text(r);

    std::set<std::string> test_ids;
    std::ifstream list(*dir / "ImageSets/Main/test.txt");
    for (std::string id; list >> id;) test_ids.insert(id);
    ASSERT_EQ(test_ids.size(), 72u);
    size_t tests = 0;
    for (const auto& e : r.entries) {
        const bool listed = test_ids.count(e.image_path.stem().string()) > 0;
        EXPECT_EQ(e.split, listed ? Split::Test : Split::Train) << e.image_path;
        tests += e.split == Split::Test;
    }
    EXPECT_EQ(tests, 72u);

    // Two annotations in the dataset are single points; those boxes are dropped, the images kept.
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    for (const auto& i : r.issues) {
        EXPECT_EQ(i.code, "zero-area-box");
        EXPECT_TRUE(i.kept);
    }
    EXPECT_NE(r.issues[0].file.find("BloodImage_00338.xml"), std::string::npos);
    EXPECT_NE(r.issues[1].file.find("BloodImage_00343.xml"), std::string::npos);
}

}  // namespace
}  // namespace apiary::data
