// Hand-computed cases for matching, precision/recall/F1, AP and the assumed threshold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "eval/evaluation.h"
#include "eval/matching.h"

using namespace apiary;
using namespace apiary::eval;

namespace {
// Two truth boxes; detections: hit T1 (.9), a miss (.8), hit T2 at IoU 0.818 (.7), duplicate of T1 (.6).
ImageCase worked_example() {
    ImageCase img;
    img.image = "a.jpg";
    img.truth = {{"a", {0, 0, 10, 10}}, {"a", {20, 20, 10, 10}}};
    img.detections = {{"a", {0, 0, 10, 10}, 0.9}, {"a", {50, 50, 5, 5}, 0.8}, {"a", {21, 20, 10, 10}, 0.7},
                      {"a", {0, 0, 10, 10}, 0.6}};
    return img;
}
}  // namespace

TEST(Matching, GreedyByScoreEachTruthOnce) {
    const auto m = match_label(worked_example(), "a", 0.5);
    ASSERT_EQ(m.detections.size(), 4u);
    EXPECT_EQ(m.truth_count, 2u);
    EXPECT_TRUE(m.detections[0].true_positive);
    EXPECT_FALSE(m.detections[1].true_positive);
    EXPECT_TRUE(m.detections[2].true_positive);
    EXPECT_FALSE(m.detections[3].true_positive);  // T1 already taken
}

TEST(Matching, IouExactlyAtThresholdCountsAndLabelsMustAgree) {
    ImageCase img;
    img.truth = {{"a", {0, 0, 10, 10}}};
    img.detections = {{"a", {0, 0, 20, 10}, 0.5}, {"b", {0, 0, 10, 10}, 0.9}};
    EXPECT_TRUE(match_label(img, "a", 0.5).detections[0].true_positive);  // IoU = 100/200
    EXPECT_FALSE(match_label(img, "b", 0.5).detections[0].true_positive);
    EXPECT_EQ(match_label(img, "b", 0.5).truth_count, 0u);
}

TEST(PrCurve, PointsApAndAssumedThreshold) {
    const auto m = match_label(worked_example(), "a", 0.5);
    PrCurve c(m.detections, m.truth_count);
    ASSERT_EQ(c.points().size(), 4u);
    EXPECT_DOUBLE_EQ(c.points()[1].precision, 0.5);
    EXPECT_DOUBLE_EQ(c.points()[2].precision, 2.0 / 3);
    EXPECT_DOUBLE_EQ(c.points()[2].recall, 1.0);
    // Envelope [1, 2/3, 2/3, 1/2]: 0.5 * 1 + 0.5 * 2/3.
    EXPECT_NEAR(c.average_precision(), 0.5 + 1.0 / 3, 1e-12);
    // 101-point: recall 0..0.50 → 1 (51 points), 0.51..1 → 2/3 (50 points).
    EXPECT_NEAR(c.average_precision_101(), (51 + 50 * 2.0 / 3) / 101, 1e-12);
    const auto best = c.best_f1();
    EXPECT_DOUBLE_EQ(best.threshold, 0.7);
    EXPECT_NEAR(best.f1, 0.8, 1e-12);
    EXPECT_EQ(best.true_positives, 2u);
    EXPECT_EQ(best.false_positives, 1u);
    EXPECT_EQ(best.false_negatives, 0u);
    const auto high = c.at(0.85);
    EXPECT_DOUBLE_EQ(high.precision, 1.0);
    EXPECT_DOUBLE_EQ(high.recall, 0.5);
    EXPECT_NEAR(high.f1, 2.0 / 3, 1e-12);
}

TEST(PrCurve, TiedScoresAreOneThreshold) {
    // A TP and an FP at the same score: no threshold keeps only the TP.
    PrCurve c({{0.9, true}, {0.9, false}}, 1);
    const auto best = c.best_f1();
    EXPECT_DOUBLE_EQ(best.precision, 0.5);
    EXPECT_DOUBLE_EQ(best.recall, 1.0);
}

TEST(PrCurve, NoDetectionsOrNoTruth) {
    PrCurve none({}, 3);
    EXPECT_EQ(none.average_precision(), 0.0);
    EXPECT_EQ(none.best_f1().f1, 0.0);
    EXPECT_EQ(none.best_f1().false_negatives, 3u);
    PrCurve no_truth({{0.5, false}}, 0);
    EXPECT_EQ(no_truth.average_precision(), 0.0);
}

TEST(Evaluation, PerLabelOverallAndPerImage) {
    ImageCase second;
    second.image = "b.jpg";
    second.truth = {{"b", {0, 0, 40, 40}}};
    second.detections = {{"b", {2, 2, 40, 40}, 0.95}, {"a", {60, 60, 10, 10}, 0.65}};
    const auto ev = evaluate({worked_example(), second}, {"a", "b"});
    ASSERT_EQ(ev.labels.size(), 2u);
    const auto& a = ev.labels[0];
    EXPECT_EQ(a.truth_boxes, 2u);
    EXPECT_EQ(a.test_images, 1u);
    EXPECT_DOUBLE_EQ(a.assumed.threshold, 0.7);  // the 0.65 FP in b.jpg lies below it
    EXPECT_NEAR(a.ap50, 0.5 + 0.5 * 2.0 / 3 * 1, 1e-9);
    const auto& b = ev.labels[1];
    EXPECT_DOUBLE_EQ(b.assumed.f1, 1.0);
    EXPECT_DOUBLE_EQ(b.ap50, 1.0);
    EXPECT_NEAR(ev.f1, (0.8 + 1.0) / 2, 1e-12);
    ASSERT_EQ(ev.images.size(), 2u);
    EXPECT_EQ(ev.images[0].true_positives, 2u);
    EXPECT_EQ(ev.images[0].false_positives, 1u);
    EXPECT_EQ(ev.images[0].false_negatives, 0u);
    EXPECT_EQ(ev.images[1].true_positives, 1u);
    EXPECT_EQ(ev.images[1].false_positives, 0u);
    const auto j = ev.to_json();
    EXPECT_EQ(j["labels"][0]["label"], "a");
    EXPECT_EQ(j["labels"][0]["pr_curve"]["points"].size(), 5u);
}

TEST(Evaluation, FixedThresholdsAreUsedAsGiven) {
    EvaluationOptions o;
    o.thresholds["a"] = 0.85;
    const auto ev = evaluate({worked_example()}, {"a"}, o);
    EXPECT_DOUBLE_EQ(ev.labels[0].assumed.threshold, 0.85);
    EXPECT_DOUBLE_EQ(ev.labels[0].assumed.recall, 0.5);
    EXPECT_EQ(ev.images[0].false_negatives, 1u);
}

TEST(Evaluation, MapAveragesStricterIous) {
    ImageCase img;
    img.truth = {{"a", {0, 0, 100, 100}}};
    img.detections = {{"a", {0, 0, 100, 80}, 0.9}};  // IoU 0.8: a hit up to IoU 0.80, a miss above
    const auto ev = evaluate({img}, {"a"});
    EXPECT_DOUBLE_EQ(ev.labels[0].ap50, 1.0);
    EXPECT_NEAR(ev.labels[0].map50_95, 7.0 / 10, 1e-9);  // thresholds .50,.55,...,.80 hit
}

TEST(Evaluation, ThePrCurveKeepsEveryPercentOfRecall) {
    // 100 truth boxes found one by one, each after 9 false positives: 1,000 detections.
    ImageCase img;
    for (int k = 0; k < 100; ++k) img.truth.push_back({"a", {20.0 * k, 0, 10, 10}});
    double score = 1.0;
    for (int k = 0; k < 100; ++k) {
        for (int f = 0; f < 9; ++f) img.detections.push_back({"a", {20.0 * k, 500, 10, 10}, score -= 1e-4});
        img.detections.push_back({"a", {20.0 * k, 0, 10, 10}, score -= 1e-4});
    }
    const auto ev = evaluate({img}, {"a"});
    const auto& curve = ev.labels[0].curve;
    EXPECT_LE(curve.size(), 202u);
    for (int percent = 1; percent <= 100; ++percent)
        EXPECT_TRUE(std::any_of(curve.begin(), curve.end(),
                                [&](const PrPoint& p) { return std::abs(p.recall - percent / 100.0) < 1e-9; }))
            << "recall " << percent << "% is missing";
}
