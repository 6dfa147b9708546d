// CenterNet training targets: Gaussian heatmaps, box distances consistent with the decoder,
// box weights and who wins shared cells.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "core/error.h"
#include "nn/centernet_decode.h"
#include "nn/centernet_targets.h"

namespace apiary::nn {
namespace {

TargetBatch encode_one(const std::vector<Box>& boxes, const std::vector<int64_t>& labels, int64_t classes = 3,
                       int64_t size = 128) {
    return encode_targets({boxes}, {labels}, classes, size, size);
}

// The box the decoder would read at cell (x, y) from distances `d` [N, 4, h, w].
Box decode_at(const torch::Tensor& d, int64_t b, int64_t x, int64_t y, int64_t stride = 4) {
    const auto a = d.accessor<float, 4>();
    const double px = double(x * stride), py = double(y * stride);
    return Box::from_corners(px - a[b][0][y][x], py - a[b][1][y][x], px + a[b][2][y][x], py + a[b][3][y][x]);
}

TEST(Targets, ShapesAndDtypes) {
    const TargetBatch t = encode_targets({{}, {}}, {{}, {}}, 5, 64, 96);
    EXPECT_EQ(t.heatmap.sizes(), (std::vector<int64_t>{2, 5, 16, 24}));
    EXPECT_EQ(t.boxes.sizes(), (std::vector<int64_t>{2, 4, 16, 24}));
    EXPECT_EQ(t.box_weight.sizes(), (std::vector<int64_t>{2, 1, 16, 24}));
    EXPECT_EQ(t.heatmap.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(t.heatmap.device().is_cpu());
}

TEST(Targets, EmptyImagesGiveZeros) {
    const TargetBatch t = encode_targets({{}, {Box{10, 10, 30, 20}}, {}}, {{}, {1}, {}}, 2, 64, 64);
    for (int64_t i : {0, 2}) {
        EXPECT_EQ(t.heatmap[i].abs().sum().item<float>(), 0.0f);
        EXPECT_EQ(t.boxes[i].abs().sum().item<float>(), 0.0f);
        EXPECT_EQ(t.box_weight[i].abs().sum().item<float>(), 0.0f);
    }
    EXPECT_GT(t.heatmap[1].sum().item<float>(), 0.0f);
}

TEST(Targets, SingleBoxPeaksAtItsCentreOnItsChannel) {
    const Box box{30, 42, 40, 24};  // centre (50, 54) → cell (12, 13)
    const TargetBatch t = encode_one({box}, {1});
    const auto heat = t.heatmap.accessor<float, 4>();
    EXPECT_EQ(heat[0][1][13][12], 1.0f);
    EXPECT_EQ(t.heatmap[0][1].max().item<float>(), 1.0f);
    EXPECT_EQ(t.heatmap[0][1].eq(1.0f).sum().item<int64_t>(), 1);  // exactly one centre
    EXPECT_EQ(t.heatmap[0][0].abs().sum().item<float>(), 0.0f);
    EXPECT_EQ(t.heatmap[0][2].abs().sum().item<float>(), 0.0f);

    // Falls off monotonically away from the centre, along both axes, and stays in 0..1.
    EXPECT_GT(heat[0][1][13][13], 0.0f);
    EXPECT_LT(heat[0][1][13][13], 1.0f);
    EXPECT_GT(heat[0][1][13][13], heat[0][1][13][14]);
    EXPECT_GT(heat[0][1][14][12], 0.0f);
    EXPECT_LT(heat[0][1][14][12], 1.0f);
    EXPECT_GE(heat[0][1][14][12], heat[0][1][15][12]);
    // Wider than tall → falls off more slowly along x.
    EXPECT_GT(heat[0][1][13][14], heat[0][1][15][12]);
    EXPECT_GE(t.heatmap.min().item<float>(), 0.0f);
    EXPECT_LE(t.heatmap.max().item<float>(), 1.0f);
    // Nothing far from the object.
    EXPECT_EQ(heat[0][1][2][2], 0.0f);
    EXPECT_EQ(heat[0][1][30][30], 0.0f);
}

TEST(Targets, GaussianFollowsTheTtfnetRadius) {
    // 80 px wide → radius 0.54 · 40 / 4 = 5.4 cells, sigma = (2 · 5.4 + 1) / 6.
    const Box box{24, 24, 80, 80};  // centre (64, 64) → cell (16, 16)
    const TargetBatch t = encode_one({box}, {0});
    const auto heat = t.heatmap.accessor<float, 4>();
    const double sigma = (2 * 5.4 + 1) / 6;
    for (int dx : {1, 3, 5}) EXPECT_NEAR(heat[0][0][16][16 + dx], std::exp(-dx * dx / (2 * sigma * sigma)), 1e-6);
    EXPECT_EQ(heat[0][0][16][16 + 6], 0.0f);  // beyond the radius
    EXPECT_EQ(heat[0][0][16 - 6][16], 0.0f);
}

TEST(Targets, CentreCellDecodesBackToTheBox) {
    const std::vector<Box> boxes = {
        {30, 42, 40, 24},        // even
        {3.5, 77.25, 17, 9},     // odd, fractional
        {0, 0, 21, 13},          // touching the top-left corner
        {101, 93, 27, 35},       // touching the bottom-right corner (128 × 128)
        {0, 50, 128, 11},        // as wide as the image
        {60.2, 5.1, 2.3, 1.7},   // smaller than a cell
    };
    for (const Box& box : boxes) {
        SCOPED_TRACE(testing::Message() << box.left << "," << box.top << " " << box.width << "x" << box.height);
        const TargetBatch t = encode_one({box}, {2});
        const int64_t x = std::min<int64_t>(31, int64_t(std::floor((box.left + box.width / 2) / 4)));
        const int64_t y = std::min<int64_t>(31, int64_t(std::floor((box.top + box.height / 2) / 4)));
        const auto heat = t.heatmap.accessor<float, 4>();
        const auto weight = t.box_weight.accessor<float, 4>();
        EXPECT_EQ(heat[0][2][y][x], 1.0f);
        EXPECT_GT(weight[0][0][y][x], 0.0f);
        const Box d = decode_at(t.boxes, 0, x, y);
        EXPECT_NEAR(d.left, box.left, 1e-4);
        EXPECT_NEAR(d.top, box.top, 1e-4);
        EXPECT_NEAR(d.right(), box.right(), 1e-4);
        EXPECT_NEAR(d.bottom(), box.bottom(), 1e-4);
        // And through the real decoder, with the heatmap target as its probabilities.
        CenterNetOutput out{torch::logit(t.heatmap.clamp(1e-6, 1 - 1e-6)), t.boxes};
        const auto dets = decode_centernet(out, ImageTransform::stretch(128, 128, 128, 128), {.top_k = 1, .clip = false});
        ASSERT_EQ(dets.size(), 1u);
        EXPECT_EQ(dets[0].class_id, 2);
        EXPECT_GT(iou(dets[0].box, box), 0.9999);
    }
}

TEST(Targets, EveryWeightedCellDecodesToItsBox) {
    const Box box{20, 30, 70, 50};
    const TargetBatch t = encode_one({box}, {0});
    const auto wa = t.box_weight.accessor<float, 4>();
    int cells = 0;
    for (int64_t y = 0; y < 32; ++y)
        for (int64_t x = 0; x < 32; ++x)
            if (wa[0][0][y][x] > 0) {
                ++cells;
                EXPECT_GT(iou(decode_at(t.boxes, 0, x, y), box), 0.9999) << x << "," << y;
                // Inside the box, all distances are >= 0.
                EXPECT_GE(t.boxes[0].select(1, y).select(1, x).min().item<float>(), 0.0f);
            } else {
                EXPECT_EQ(t.boxes[0].select(1, y).select(1, x).abs().sum().item<float>(), 0.0f);
            }
    EXPECT_GT(cells, 9);  // a real area, not just the centre
}

TEST(Targets, BoxWeightsLieNearObjectsAndSumToLogArea) {
    const Box a{10, 10, 40, 30}, b{70, 60, 50, 60};
    const TargetBatch t = encode_one({a, b}, {0, 1});
    const auto wa = t.box_weight.accessor<float, 4>();
    for (int64_t y = 0; y < 32; ++y)
        for (int64_t x = 0; x < 32; ++x) {
            if (wa[0][0][y][x] <= 0) continue;
            const double px = x * 4.0, py = y * 4.0;
            const bool in_a = px >= a.left && px <= a.right() && py >= a.top && py <= a.bottom();
            const bool in_b = px >= b.left && px <= b.right() && py >= b.top && py <= b.bottom();
            EXPECT_TRUE(in_a || in_b) << x << "," << y;
        }
    EXPECT_NEAR(t.box_weight.sum().item<double>(), std::log(a.area()) + std::log(b.area()), 1e-3);
    EXPECT_GE(t.box_weight.min().item<float>(), 0.0f);
    // The centre carries the largest weight of its object.
    EXPECT_EQ(wa[0][0][6][7], t.box_weight[0][0].slice(0, 0, 12).slice(1, 0, 14).max().item<float>());
}

TEST(Targets, SmallerObjectWinsSharedCells) {
    const Box big{8, 8, 100, 100};    // centre (58, 58) → cell (14, 14)
    const Box small{56, 60, 24, 20};  // centre (68, 70) → cell (17, 17), inside big's area
    for (const bool small_first : {true, false}) {
        const TargetBatch t = small_first ? encode_one({small, big}, {1, 0}) : encode_one({big, small}, {0, 1});
        const auto wa = t.box_weight.accessor<float, 4>();
        const auto heat = t.heatmap.accessor<float, 4>();
        EXPECT_EQ(heat[0][0][14][14], 1.0f);
        EXPECT_EQ(heat[0][1][17][17], 1.0f);
        // The small object's cells decode to the small box; the big one's centre to the big box.
        int small_cells = 0;
        for (int64_t y = 14; y <= 20; ++y)
            for (int64_t x = 14; x <= 20; ++x) {
                const double px = x * 4.0, py = y * 4.0;
                const double ex = (x - 17) / (0.54 * 12 / 4), ey = (y - 17) / (0.54 * 10 / 4);
                const bool small_area = ex * ex + ey * ey <= 1 && px >= small.left && px <= small.right() &&
                                        py >= small.top && py <= small.bottom();
                if (!small_area) continue;
                ++small_cells;
                EXPECT_GT(wa[0][0][y][x], 0.0f);
                EXPECT_GT(iou(decode_at(t.boxes, 0, x, y), small), 0.9999) << x << "," << y;
            }
        EXPECT_GE(small_cells, 1);
        EXPECT_GT(iou(decode_at(t.boxes, 0, 14, 14), big), 0.9999);
        EXPECT_GT(wa[0][0][12][18], 0.0f);
        EXPECT_GT(iou(decode_at(t.boxes, 0, 18, 12), big), 0.9999);
    }
}

TEST(Targets, OverlappingSameClassTakesTheMaximum) {
    const Box a{20, 20, 40, 40}, b{36, 20, 40, 40};  // centres 16 px apart on one row
    const TargetBatch ta = encode_one({a}, {0}), tb = encode_one({b}, {0}), both = encode_one({a, b}, {0, 0});
    EXPECT_TRUE(torch::equal(both.heatmap, torch::max(ta.heatmap, tb.heatmap)));
    EXPECT_EQ(both.heatmap.eq(1.0f).sum().item<int64_t>(), 2);
}

TEST(Targets, BatchImagesAreIndependent) {
    const Box a{20, 20, 40, 40}, b{50, 60, 30, 20};
    const TargetBatch batch = encode_targets({{a}, {b}}, {{0}, {1}}, 2, 128, 128);
    const TargetBatch ta = encode_one({a}, {0}, 2), tb = encode_one({b}, {1}, 2);
    EXPECT_TRUE(torch::equal(batch.heatmap[0], ta.heatmap[0]));
    EXPECT_TRUE(torch::equal(batch.heatmap[1], tb.heatmap[0]));
    EXPECT_TRUE(torch::equal(batch.boxes[1], tb.boxes[0]));
    EXPECT_TRUE(torch::equal(batch.box_weight[1], tb.box_weight[0]));
}

TEST(Targets, SkipsEmptyBoxes) {
    const TargetBatch t = encode_one({Box{10, 10, 0, 20}, Box{10, 10, 20, -3}}, {0, 1});
    EXPECT_EQ(t.heatmap.abs().sum().item<float>(), 0.0f);
    EXPECT_EQ(t.box_weight.abs().sum().item<float>(), 0.0f);
}

TEST(Targets, RejectsLabelsOutOfRange) {
    for (const int64_t label : {3, -1}) {
        try {
            encode_one({Box{10, 10, 20, 20}}, {label}, 3);
            FAIL() << "label " << label << " accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("label " + std::to_string(label)), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(encode_targets({{Box{10, 10, 20, 20}}}, {{}}, 3, 64, 64), Error);  // boxes without labels
    EXPECT_THROW(encode_targets({{}}, {}, 3, 64, 64), Error);                        // images without labels
}

TEST(Targets, FastEnoughForEveryStep) {
    // A batch of 8 at 640 px with 20 objects each, 5 classes.
    std::vector<std::vector<Box>> boxes(8);
    std::vector<std::vector<int64_t>> labels(8);
    for (int i = 0; i < 8; ++i)
        for (int k = 0; k < 20; ++k) {
            boxes[size_t(i)].push_back(Box{double(17 * k + i), double(29 * k % 500), 40.0 + 7 * k, 30.0 + 11 * k});
            labels[size_t(i)].push_back(k % 5);
        }
    encode_targets(boxes, labels, 5, 640, 640);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    const int reps = 10;
    for (int r = 0; r < reps; ++r) encode_targets(boxes, labels, 5, 640, 640);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / reps;
    std::cout << "encode_targets, 8 × 640 px, 160 objects: " << ms << " ms\n";
    EXPECT_LT(ms, 50.0);
}

}  // namespace
}  // namespace apiary::nn
