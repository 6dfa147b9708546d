// Platt scaling recovers a known score -> probability relation, keeps the order of a label's
// detections, and the reliability table / ECE are computed as defined.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.h"
#include "eval/calibration.h"

using namespace apiary;
using namespace apiary::eval;

namespace {
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }
double logit(double p) { return std::log(p / (1 - p)); }

// Scores whose true-positive probability is sigmoid(a·logit(s) + b): what a network with
// under-confident scores (as CenterNet's are) produces.
std::vector<ScoredOutcome> drawn(double a, double b, size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> score(0.02, 0.7), u(0, 1);
    std::vector<ScoredOutcome> out;
    for (size_t i = 0; i < n; ++i) {
        const double s = score(rng);
        out.push_back({s, u(rng) < sigmoid(a * logit(s) + b)});
    }
    return out;
}
}  // namespace

TEST(Platt, RecoversAKnownMapAndCalibratesWhatItFits) {
    const auto train = drawn(2.0, 3.0, 4000, 1);
    const auto s = fit_platt(train);
    EXPECT_NEAR(s.a, 2.0, 0.25);
    EXPECT_NEAR(s.b, 3.0, 0.35);
    auto test = drawn(2.0, 3.0, 4000, 2);
    EXPECT_GT(reliability(test).ece, 0.2) << "raw scores are far from probabilities";
    for (auto& o : test) o.score = s.apply(o.score);
    EXPECT_LT(reliability(test).ece, 0.04);
}

TEST(Platt, KeepsTheOrderAndFallsBackWhenThereIsNothingToFit) {
    const auto s = fit_platt(drawn(0.5, 1.0, 500, 3));
    for (double x = 0.01; x < 0.99; x += 0.01) EXPECT_LT(s.apply(x), s.apply(x + 0.01));
    // All right, all wrong, or too few: the identity.
    std::vector<ScoredOutcome> all_right(50, {0.4, true}), few = {{0.3, true}, {0.2, false}};
    for (const auto& outcomes : {all_right, few}) {
        const auto id = fit_platt(outcomes);
        EXPECT_DOUBLE_EQ(id.apply(0.3), PlattScaling{}.apply(0.3));
        EXPECT_NEAR(id.apply(0.3), 0.3, 1e-9);
    }
    // Scores that carry no signal (right half the time whatever the score): a nearly flat map
    // at the label's precision, still rising.
    std::vector<ScoredOutcome> noise;
    for (int i = 0; i < 400; ++i) noise.push_back({0.05 + 0.002 * i, i % 2 == 0});
    const auto flat = fit_platt(noise);
    EXPECT_NEAR(flat.apply(0.1), 0.5, 0.05);
    EXPECT_NEAR(flat.apply(0.8), 0.5, 0.05);
    EXPECT_LE(flat.apply(0.1), flat.apply(0.8));
}

TEST(Reliability, BinsAndEceByHand) {
    // Bin [0.9, 1.0]: 0.95 x 4, 3 right -> |0.75 - 0.95| = 0.2 over 4 of 6 detections.
    // Bin [0.5, 0.6): 0.55 x 2, 1 right -> |0.5 - 0.55| = 0.05 over 2 of 6. 0.05 is below the floor.
    const std::vector<ScoredOutcome> o = {{0.95, true}, {0.95, true}, {0.95, true}, {0.95, false},
                                          {0.55, true}, {0.55, false}, {0.05, true}};
    const auto r = reliability(o);
    EXPECT_EQ(r.detections, 6u);
    ASSERT_EQ(r.bins.size(), 10u);
    EXPECT_EQ(r.bins[9].detections, 4u);
    EXPECT_DOUBLE_EQ(r.bins[9].accuracy, 0.75);
    EXPECT_EQ(r.bins[5].detections, 2u);
    EXPECT_EQ(r.bins[0].detections, 0u);
    EXPECT_NEAR(r.ece, 4.0 / 6 * 0.2 + 2.0 / 6 * 0.05, 1e-12);
    EXPECT_EQ(reliability({{1.0, true}}).bins[9].detections, 1u);  // 1.0 falls in the last bin
    EXPECT_EQ(reliability({}).ece, 0);
}

TEST(ScoreCalibration, JsonRoundTripAndBadFieldsAreNamed) {
    ScoreCalibration c;
    c.set("bee", {1.5, 2.0});
    const auto back = ScoreCalibration::from_json(c.to_json(), "model.json");
    EXPECT_DOUBLE_EQ(back.apply("bee", 0.3), c.apply("bee", 0.3));
    EXPECT_DOUBLE_EQ(back.apply("wasp", 0.3), 0.3);  // unknown labels are left alone
    Json bad = c.to_json();
    bad["labels"]["bee"]["a"] = -1;
    try {
        ScoreCalibration::from_json(bad, "model.json");
        FAIL() << "a falling map was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("calibration.labels.bee"), std::string::npos) << e.what();
    }
    EXPECT_THROW(ScoreCalibration::from_json(Json{{"method", "isotonic"}}, "m"), Error);
}
