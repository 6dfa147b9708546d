#include <gtest/gtest.h>

#include "infer/detection_merge.h"

using namespace apiary;

namespace {
nn::Detection det(int64_t label, float score, Box box) { return {label, score, box}; }
}  // namespace

TEST(DetectionMerge, SameObjectTwiceKeepsTheBestBoxPerLabel) {
    const auto kept = infer::suppress_overlaps({det(0, 0.5f, {10, 10, 20, 20}), det(0, 0.9f, {11, 11, 20, 20}),
                                                det(1, 0.4f, {10, 10, 20, 20}), det(0, 0.3f, {100, 100, 20, 20})},
                                               0.5, 0);
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_FLOAT_EQ(kept[0].score, 0.9f);  // best first; the 0.5 duplicate of label 0 is gone
    EXPECT_EQ(kept[1].class_id, 1);        // another label at the same place stays
    EXPECT_FLOAT_EQ(kept[2].score, 0.3f);
    EXPECT_EQ(infer::suppress_overlaps({det(0, 0.5f, {0, 0, 5, 5}), det(0, 0.6f, {50, 50, 5, 5})}, 0.5, 1).size(), 1u);
}

TEST(DetectionMerge, TileBoxesMoveIntoImagePixelsAndCutOnesAreLeftToTheNeighbour) {
    // A 200 x 100 image in two 100 x 100 tiles overlapping by 50 px: [0,100) and [100,200) would
    // not overlap, so the second starts at 50 as tile_grid would place it.
    const std::vector<cv::Rect> tiles{{0, 0, 100, 100}, {50, 0, 100, 100}, {100, 0, 100, 100}};
    const std::vector<std::vector<nn::Detection>> per_tile{
        {det(0, 0.8f, {20, 20, 10, 10}), det(0, 0.7f, {92, 40, 8, 10})},  // the second is cut at x = 100
        {det(0, 0.75f, {40, 40, 12, 10})},                                 // the same object whole: 90..102
        {det(0, 0.6f, {30, 30, 10, 10})}};
    const auto merged = infer::merge_tile_views({det(0, 0.2f, {21, 21, 10, 10})}, per_tile, tiles, 200, 100, 0);
    ASSERT_EQ(merged.size(), 3u);
    EXPECT_EQ(merged[0].box, (Box{20, 20, 10, 10}));   // tile 1's, over the whole image's weaker duplicate
    EXPECT_EQ(merged[1].box, (Box{90, 40, 12, 10}));   // from tile 2, moved by its x = 50
    EXPECT_EQ(merged[2].box, (Box{130, 30, 10, 10}));  // from tile 3
}
