#include <gtest/gtest.h>

#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

namespace fs = std::filesystem;
using test::issues_text;
using test::TempDir;
using test::write_test_image;
using test::write_text;

struct VocObject {
    std::string name;
    std::string xmin, ymin, xmax, ymax;
};

std::string voc_xml(const std::string& filename, int w, int h, const std::vector<VocObject>& objects, const std::string& path = "") {
    std::string xml = "<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>" + filename + "</filename>\n";
    if (!path.empty()) xml += "\t<path>" + path + "</path>\n";
    xml += "\t<size><width>" + std::to_string(w) + "</width><height>" + std::to_string(h) + "</height><depth>3</depth></size>\n";
    for (const auto& o : objects)
        xml += "\t<object><name>" + o.name + "</name><difficult>0</difficult><bndbox><xmin>" + o.xmin + "</xmin><ymin>" + o.ymin +
               "</ymin><xmax>" + o.xmax + "</xmax><ymax>" + o.ymax + "</ymax></bndbox></object>\n";
    return xml + "</annotation>\n";
}

// img0..img<n-1>, each with one RBC box; ImageSets put img0/img1 in train, img2 in test.
struct VocFixture {
    TempDir dir;
    explicit VocFixture(int n) {
        for (int i = 0; i < n; ++i) {
            const std::string id = "img" + std::to_string(i);
            write_test_image(dir / "JPEGImages" / (id + ".jpg"), 200, 150, 300 + i);
            write_text(dir / "Annotations" / (id + ".xml"), voc_xml(id + ".jpg", 200, 150, {{"RBC", "10", "20", "60", "80"}}));
        }
        write_text(dir / "ImageSets/Main/train.txt", "img0\n");
        write_text(dir / "ImageSets/Main/val.txt", "img1\n");
        write_text(dir / "ImageSets/Main/test.txt", "img2\n");
    }
    fs::path xml(int i) const { return dir / "Annotations" / ("img" + std::to_string(i) + ".xml"); }
};

TEST(VocTest, ReadsBoxesLabelsAndSplits) {
    VocFixture fx(4);
    write_text(fx.xml(1), voc_xml("img1.jpg", 200, 150, {{"WBC", "1", "2", "30", "40"}, {" Platelets ", "5.5", "6", "7.5", "9"}}));
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 4u) << issues_text(r);
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
    EXPECT_EQ(r.task, TaskType::ObjectDetection);
    EXPECT_EQ(r.records, 4u);
    EXPECT_EQ(r.entries[0].objects.at(0).box, (Box{10, 20, 50, 60}));  // corners → left/top/width/height, as written
    ASSERT_EQ(r.entries[1].objects.size(), 2u);
    EXPECT_EQ(r.entries[1].objects[1].label, "Platelets");
    EXPECT_EQ(r.entries[1].objects[1].box, (Box{5.5, 6, 2, 3}));
    EXPECT_EQ(r.entries[0].split, Split::Train);
    EXPECT_EQ(r.entries[1].split, Split::Train);  // val counts as training data
    EXPECT_EQ(r.entries[2].split, Split::Test);
    EXPECT_EQ(r.entries[3].split, Split::Unassigned);
    EXPECT_EQ(r.entries[2].image_path, fx.dir / "JPEGImages/img2.jpg");
}

TEST(VocTest, TrainvalListAlsoMeansTrain) {
    VocFixture fx(4);
    fs::remove(fx.dir / "ImageSets/Main/train.txt");
    write_text(fx.dir / "ImageSets/Main/trainval.txt", "img3\nimg0 1\n");
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 4u);
    EXPECT_EQ(r.entries[0].split, Split::Train);
    EXPECT_EQ(r.entries[3].split, Split::Train);
}

TEST(VocTest, WithoutImageSetsEverythingIsUnassigned) {
    VocFixture fx(2);
    fs::remove_all(fx.dir / "ImageSets");
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries[0].split, Split::Unassigned);
}

TEST(VocTest, FallsBackToThePathElement) {
    VocFixture fx(2);
    write_test_image(fx.dir / "elsewhere/photo.jpg", 200, 150, 999);
    write_text(fx.xml(1), voc_xml("renamed.jpg", 200, 150, {{"RBC", "1", "1", "9", "9"}}, (fx.dir / "elsewhere/photo.jpg").string()));
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.entries[1].image_path, fx.dir / "elsewhere/photo.jpg");
}

TEST(VocTest, MissingImageNamesTheFilename) {
    VocFixture fx(3);
    write_text(fx.xml(1), voc_xml("gone.jpg", 200, 150, {}, "/no/such/gone.jpg"));
    fs::remove(fx.dir / "JPEGImages/img1.jpg");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "image-missing");
    EXPECT_EQ(r.issues[0].file, fx.xml(1).string());
    EXPECT_EQ(r.issues[0].line, 0);
    EXPECT_EQ(r.issues[0].field, "filename");
    EXPECT_NE(r.issues[0].reason.find("JPEGImages/gone.jpg"), std::string::npos);
}

TEST(VocTest, MalformedXml) {
    VocFixture fx(3);
    write_text(fx.xml(1), "<annotation><filename>img1.jpg</filename><object>");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "malformed-xml");
    EXPECT_EQ(r.issues[0].file, fx.xml(1).string());
}

TEST(VocTest, NonNumericCoordinateNamesTheElement) {
    VocFixture fx(3);
    write_text(fx.xml(1), voc_xml("img1.jpg", 200, 150, {{"RBC", "1", "1", "9", "9"}, {"RBC", "1", "abc", "9", "9"}}));
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "invalid-field");
    EXPECT_EQ(r.issues[0].field, "object[1].bndbox.ymin");
}

TEST(VocTest, MissingNameAndBndbox) {
    VocFixture fx(3);
    write_text(fx.xml(0), "<annotation><filename>img0.jpg</filename><object><bndbox/></object></annotation>");
    write_text(fx.xml(1), "<annotation><filename>img1.jpg</filename><object><name>RBC</name></object></annotation>");
    const ImportReport r = import_dataset(fx.dir.path());
    EXPECT_EQ(r.entries.size(), 1u);
    ASSERT_EQ(r.issues.size(), 2u);
    EXPECT_EQ(r.issues[0].field, "object[0].name");
    EXPECT_EQ(r.issues[1].field, "object[0].bndbox");
    EXPECT_EQ(r.issues[1].code, "missing-field");
}

TEST(VocTest, ZeroAreaBoxIsKeptIssue) {
    VocFixture fx(2);
    write_text(fx.xml(1), voc_xml("img1.jpg", 200, 150, {{"RBC", "1", "1", "9", "9"}, {"RBC", "50", "60", "50", "60"}}));
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.entries.size(), 2u);
    EXPECT_EQ(r.entries[1].objects.size(), 1u);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "zero-area-box");
    EXPECT_EQ(r.issues[0].field, "object[1]");
    EXPECT_TRUE(r.issues[0].kept);
}

TEST(VocTest, BoxBeyondTheImageNamesXmax) {
    VocFixture fx(2);
    write_text(fx.xml(1), voc_xml("img1.jpg", 200, 150, {{"RBC", "150", "1", "201", "9"}}));
    const ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "box-outside-image");
    EXPECT_EQ(r.issues[0].field, "object[0].bndbox.xmax");
}

TEST(VocTest, SizeElementMustMatchTheImage) {
    VocFixture fx(2);
    write_text(fx.xml(1), voc_xml("img1.jpg", 640, 480, {}));
    ImportReport r = import_dataset(fx.dir.path());
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "image-size-mismatch");
    EXPECT_EQ(r.issues[0].field, "size");
    write_text(fx.xml(1), voc_xml("img1.jpg", 0, 0, {}));  // unknown size: nothing to compare
    r = import_dataset(fx.dir.path());
    EXPECT_TRUE(r.issues.empty()) << issues_text(r);
}

}  // namespace
}  // namespace apiary::data
