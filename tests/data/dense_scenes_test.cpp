// The dense-scene generator: hundreds of boxes, all inside the frame and apart, the same scene
// for the same seed, and a manifest the importer takes whole.
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.h"
#include "data/dense_scenes.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The manifest's lines less their creation dates (the time of writing).
std::vector<Json> manifest_lines(const std::filesystem::path& p) {
    std::vector<Json> out;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
        Json j = Json::parse(line);
        j["bee-detection-metadata"].erase("creation-date");
        out.push_back(std::move(j));
    }
    return out;
}

TEST(DenseScenes, HundredsOfSmallBoxesInsideTheFrameAndApart) {
    const DenseSceneOptions o;
    for (uint64_t seed : {1, 2, 3}) {
        const auto scene = synthesize_dense_scene(seed, o);
        EXPECT_EQ(scene.image.cols, o.width);
        EXPECT_EQ(scene.image.rows, o.height);
        ASSERT_GE(scene.objects.size(), 200u);
        EXPECT_LE(scene.objects.size(), static_cast<size_t>(o.max_objects));
        for (size_t i = 0; i < scene.objects.size(); ++i) {
            const Box& b = scene.objects[i].box;
            EXPECT_EQ(scene.objects[i].label, "bee");
            EXPECT_GE(b.left, 0);
            EXPECT_GE(b.top, 0);
            EXPECT_LE(b.right(), o.width);
            EXPECT_LE(b.bottom(), o.height);
            EXPECT_GE(std::max(b.width, b.height), o.min_size);
            EXPECT_LE(std::max(b.width, b.height), o.max_size);
            for (size_t j = 0; j < i; ++j) {
                const Box& c = scene.objects[j].box;
                const bool apart = b.right() <= c.left || c.right() <= b.left || b.bottom() <= c.top || c.bottom() <= b.top;
                ASSERT_TRUE(apart) << "objects " << j << " and " << i << " overlap (seed " << seed << ")";
            }
        }
    }
}

TEST(DenseScenes, SameSeedSameSceneOtherSeedOtherScene) {
    const auto a = synthesize_dense_scene(7), b = synthesize_dense_scene(7), c = synthesize_dense_scene(8);
    ASSERT_EQ(a.objects.size(), b.objects.size());
    for (size_t i = 0; i < a.objects.size(); ++i) EXPECT_EQ(a.objects[i].box, b.objects[i].box);
    EXPECT_EQ(cv::norm(a.image, b.image, cv::NORM_INF), 0);
    EXPECT_GT(cv::norm(a.image, c.image, cv::NORM_L1), 0);
}

TEST(DenseScenes, AFrameTooSmallForTheCountIsRefused) {
    DenseSceneOptions o;
    o.width = o.height = 200;
    EXPECT_THROW(synthesize_dense_scene(1, o), Error);
}

TEST(DenseScenes, WrittenDatasetImportsWholeWithManyBoxesNotes) {
    test::TempDir a, b;
    const auto first = write_dense_dataset(a.path(), 3, 5);
    const auto again = write_dense_dataset(b.path(), 3, 5);
    EXPECT_EQ(first.images_written, 3u);
    EXPECT_GE(first.boxes_written, 600u);
    EXPECT_EQ(first.boxes_written, again.boxes_written);
    EXPECT_TRUE(manifest_lines(first.manifest) == manifest_lines(again.manifest));
    EXPECT_EQ(read_bytes(first.images / "00002.jpg"), read_bytes(again.images / "00002.jpg"));
    EXPECT_EQ(first.bucket_prefix, "s3://apiary-demo/dense/seed-5/images");

    ImportOptions options;
    options.maps.push_back(PathMapping::parse(first.bucket_prefix + "=" + first.images.string()));
    const ImportReport r = import_dataset(first.manifest, options);
    ASSERT_EQ(r.entries.size(), 3u) << test::issues_text(r);
    size_t boxes = 0;
    for (const auto& e : r.entries) boxes += e.objects.size();
    EXPECT_EQ(boxes, first.boxes_written);
    ASSERT_EQ(r.issues.size(), 3u) << test::issues_text(r);
    for (const auto& i : r.issues) EXPECT_EQ(i.code, "many-boxes");
}

}  // namespace
}  // namespace apiary::data
