#include <gtest/gtest.h>

#include "vision/tiles.h"

using namespace apiary;

TEST(Tiles, GridCoversTheImageWithOverlappingSquareTilesFlushWithItsEdges) {
    const auto tiles = vision::tile_grid(1600, 1200, 0.4);  // 640 px tiles
    ASSERT_FALSE(tiles.empty());
    cv::Mat covered(1200, 1600, CV_8U, cv::Scalar(0));
    int max_right = 0, max_bottom = 0;
    for (const auto& t : tiles) {
        EXPECT_EQ(t.width, 640);
        EXPECT_EQ(t.height, 640);
        EXPECT_GE(t.x, 0);
        EXPECT_GE(t.y, 0);
        covered(t).setTo(255);
        max_right = std::max(max_right, t.x + t.width);
        max_bottom = std::max(max_bottom, t.y + t.height);
    }
    EXPECT_EQ(cv::countNonZero(covered), 1600 * 1200);
    EXPECT_EQ(max_right, 1600);
    EXPECT_EQ(max_bottom, 1200);
    EXPECT_EQ(tiles.size(), 9u);  // 3 columns (steps of 480) x 3 rows (steps of 280)
    // Neighbours in a row overlap by at least a quarter of the side, so an object smaller than
    // that lies whole in one of them.
    EXPECT_LE(tiles[1].x - tiles[0].x, 480);
}

TEST(Tiles, NoGridWhenOneTileWouldSpanTheImage) {
    EXPECT_TRUE(vision::tile_grid(640, 480, 1.0).empty());
    EXPECT_TRUE(vision::tile_grid(640, 480, 0).empty());
    EXPECT_TRUE(vision::tile_grid(640, 640, 0.99).size() > 1);  // 634 px tiles still slice it
    // A tile never outgrows the shorter side: a wide strip is cut along its length only.
    const auto strip = vision::tile_grid(2000, 300, 0.5);
    ASSERT_FALSE(strip.empty());
    for (const auto& t : strip) EXPECT_EQ(t.height, 300);
}

TEST(Tiles, RandomTileLiesInsideTheImage) {
    std::mt19937_64 rng(3);
    for (int i = 0; i < 200; ++i) {
        const auto t = vision::random_tile(1000, 700, 0.3, rng);
        EXPECT_EQ(t.width, 300);
        EXPECT_GE(t.x, 0);
        EXPECT_GE(t.y, 0);
        EXPECT_LE(t.x + t.width, 1000);
        EXPECT_LE(t.y + t.height, 700);
    }
    EXPECT_EQ(vision::random_tile(300, 200, 1.0, rng), cv::Rect(0, 0, 300, 200));
}

TEST(Tiles, BoxesInATileAreClippedAndSliversDropped) {
    const std::vector<Box> boxes{{110, 110, 20, 20},   // inside
                                 {190, 100, 20, 20},   // half inside: kept, clipped
                                 {195, 100, 20, 20},   // a quarter inside: dropped
                                 {400, 400, 10, 10}};  // outside
    const auto shown = vision::boxes_in_tile(boxes, {0, 1, 2, 3}, cv::Rect(100, 100, 100, 100));
    ASSERT_EQ(shown.boxes.size(), 2u);
    EXPECT_EQ(shown.boxes[0], (Box{10, 10, 20, 20}));
    EXPECT_EQ(shown.boxes[1], (Box{90, 0, 10, 20}));
    EXPECT_EQ(shown.labels, (std::vector<int>{0, 1}));
}

TEST(Tiles, OnlyEdgesInsideTheImageCountAsCuts) {
    const cv::Rect tile(0, 0, 100, 100);  // the top-left tile of a 300 x 300 image
    EXPECT_FALSE(vision::touches_inner_edge({0, 0, 10, 10}, tile, 300, 300));    // the image's own corner
    EXPECT_TRUE(vision::touches_inner_edge({90, 40, 10, 10}, tile, 300, 300));   // the right edge, inside
    EXPECT_TRUE(vision::touches_inner_edge({40, 95, 10, 5}, tile, 300, 300));    // the bottom edge, inside
    EXPECT_FALSE(vision::touches_inner_edge({40, 40, 10, 10}, tile, 300, 300));
    EXPECT_FALSE(vision::touches_inner_edge({90, 40, 10, 10}, tile, 100, 300));  // right edge is the image's
}
