// The look-alike generator: six labels, boxes inside the frame, the same dataset for the same
// seed, and source-refs of their own per seed, so that a training set and a test set drawn with
// two seeds import into one project side by side.
#include <gtest/gtest.h>

#include <set>

#include "data/demo_dataset.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

TEST(LookalikeDataset, SixLabelsInsideTheFramesAndOneBucketPrefixPerSeed) {
    test::TempDir a, b;
    const auto train = write_lookalike_dataset(a.path(), 24, 1);
    const auto held_out = write_lookalike_dataset(b.path(), 2, 2);
    EXPECT_EQ(train.images_written, 24u);
    EXPECT_NE(train.bucket_prefix, held_out.bucket_prefix);

    ImportOptions options;
    options.maps.push_back(PathMapping::parse(train.bucket_prefix + "=" + train.images.string()));
    const ImportReport r = import_dataset(train.manifest, options);
    ASSERT_EQ(r.entries.size(), 24u) << test::issues_text(r);
    EXPECT_TRUE(r.issues.empty()) << test::issues_text(r);
    std::set<std::string> labels;
    size_t boxes = 0;
    for (const auto& e : r.entries) {
        EXPECT_GE(e.objects.size(), 1u);
        EXPECT_LE(e.objects.size(), 4u);
        for (const auto& o : e.objects) {
            labels.insert(o.label);
            EXPECT_GE(o.box.left, 0);
            EXPECT_GE(o.box.top, 0);
            EXPECT_LE(o.box.right(), e.image.width);
            EXPECT_LE(o.box.bottom(), e.image.height);
        }
        boxes += e.objects.size();
    }
    EXPECT_EQ(boxes, train.boxes_written);
    const auto& all = lookalike_labels();
    EXPECT_EQ(labels, std::set<std::string>(all.begin(), all.end()));
}

}  // namespace
}  // namespace apiary::data
