#include <gtest/gtest.h>

#include "train/auto_config.h"

using namespace apiary;

namespace {
std::vector<data::Entry> entries_with_box(double side, int image_side, size_t n = 10) {
    std::vector<data::Entry> out(n);
    for (auto& e : out) {
        e.image.width = e.image.height = image_side;
        e.objects.push_back({"x", Box{0, 0, side, side}});
    }
    return out;
}
}  // namespace

TEST(AutoConfig, InputSizeFollowsObjectSize) {
    EXPECT_EQ(train::choose_image_size(entries_with_box(200, 500)), 448);  // large objects: smallest input
    EXPECT_EQ(train::choose_image_size(entries_with_box(20, 640)), 640);   // tiny objects: the largest
    const int mid = train::choose_image_size(entries_with_box(22, 640));
    EXPECT_EQ(mid % 32, 0);
    EXPECT_GT(mid, 512);  // 20 / (22 / 640) = 582 px wanted
    EXPECT_EQ(train::choose_image_size({}), 512);
    EXPECT_EQ(train::choose_image_size(entries_with_box(40, 640)), 448);  // 20 / (40 / 640) = 320 px wanted
}

TEST(AutoConfig, TilesOnlyForObjectsTooSmallForTheWholeImage) {
    EXPECT_EQ(train::choose_tile_fraction(entries_with_box(200, 500), 448), 0);  // kangaroo-like
    EXPECT_EQ(train::choose_tile_fraction(entries_with_box(20, 640), 640), 0);   // 640 wanted: the input
    EXPECT_EQ(train::choose_tile_fraction(entries_with_box(20, 800), 640), 0);   // 800 wanted: within 1.25x
    // 16 px objects in 1,600 px frames (1% of the side): 2,016 px wanted, tiles of ~32% of the side.
    const double f = train::choose_tile_fraction(entries_with_box(16, 1600), 640);
    EXPECT_NEAR(f, 640.0 / 2016, 1e-9);
    EXPECT_EQ(train::choose_tile_fraction(entries_with_box(1, 4000), 640), 0.1);  // at most 10 tiles a side
    EXPECT_EQ(train::choose_tile_fraction({}, 512), 0);
    train::TrainConfig c;
    EXPECT_NEAR(train::resolve_config(c, entries_with_box(16, 1600)).tile_fraction, f, 1e-9);
    c.tile_fraction = 0;  // asked for whole images
    EXPECT_EQ(train::resolve_config(c, entries_with_box(16, 1600)).tile_fraction, 0);
}

TEST(AutoConfig, EpochsFollowTheDatasetSizeWithinBounds) {
    EXPECT_EQ(train::choose_epochs(111, 384, 300), 12);     // kangaroo: ~1,350 images seen
    EXPECT_EQ(train::choose_epochs(1, 384, 1e9), 30);       // tiny sets: at most 30 epochs
    EXPECT_EQ(train::choose_epochs(100000, 384, 1e9), 8);   // large sets: at least 8
    EXPECT_EQ(train::choose_epochs(100000, 640, 300), 8);   // the floor holds over the budget
    // A big input over a small budget trains fewer epochs than a small one.
    EXPECT_LT(train::choose_epochs(40, 640, 100), train::choose_epochs(40, 384, 100));
}

TEST(AutoConfig, ResolveFillsEveryAutomaticField) {
    train::TrainConfig c;
    const auto r = train::resolve_config(c, entries_with_box(100, 400, 50));
    EXPECT_GT(r.epochs, 0);
    EXPECT_GT(r.image_size, 0);
    EXPECT_GT(r.lr, 0);
    EXPECT_EQ(r.augment, "light");
    train::TrainConfig fixed;
    fixed.epochs = 3;
    fixed.image_size = 200;  // rounded up to a multiple of 32
    fixed.augment = "none";
    const auto f = train::resolve_config(fixed, entries_with_box(100, 400));
    EXPECT_EQ(f.epochs, 3);
    EXPECT_EQ(f.image_size, 224);
    EXPECT_EQ(f.augment, "none");
}

TEST(TrainConfig, JsonRoundTrip) {
    train::TrainConfig c;
    c.epochs = 7;
    c.seed = 99;
    c.freeze_backbone = true;
    const auto back = train::TrainConfig::from_json(c.to_json());
    EXPECT_EQ(back.to_json(), c.to_json());
}

TEST(AutoConfig, DecodedPeaksFollowTheDensestImage) {
    auto entries = entries_with_box(10, 400, 5);
    EXPECT_EQ(train::choose_max_detections(entries), 100);  // sparse data keeps the floor
    entries[2].objects.assign(357, {"bee", Box{0, 0, 5, 5}});
    EXPECT_EQ(train::choose_max_detections(entries), 714);
    entries[2].objects.assign(4000, {"bee", Box{0, 0, 5, 5}});
    EXPECT_EQ(train::choose_max_detections(entries), 5000);
    EXPECT_EQ(train::choose_max_detections({}), 100);
}
