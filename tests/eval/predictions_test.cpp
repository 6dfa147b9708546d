// Stored predictions answer P/R/F1 at any threshold exactly as a fresh evaluation does, and
// judge each box of an image as TP, FP or FN.
#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "eval/evaluation.h"
#include "eval/predictions.h"

using namespace apiary;
using namespace apiary::eval;

namespace {
std::vector<ImageCase> random_cases(uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<ImageCase> cases;
    for (int i = 0; i < 30; ++i) {
        ImageCase c;
        c.image = "img" + std::to_string(i) + ".jpg";
        for (int k = 0; k < 4; ++k) {
            const std::string label = k % 2 ? "a" : "b";
            const Box truth{40.0 * k, 10, 30, 30};
            c.truth.push_back({label, truth});
            if (u(rng) < 0.8) c.detections.push_back({label, {truth.left + 3 * u(rng), 12, 30, 30}, u(rng)});
            if (u(rng) < 0.4) c.detections.push_back({label, {truth.left, 12, 30, 30}, u(rng)});  // duplicate
            if (u(rng) < 0.5) c.detections.push_back({label, {300, 300, 20, 20}, u(rng)});        // nothing there
        }
        cases.push_back(std::move(c));
    }
    return cases;
}
}  // namespace

TEST(StoredPredictions, AnyThresholdMatchesAFreshEvaluation) {
    const auto cases = random_cases(7);
    const std::vector<std::string> labels = {"a", "b"};
    const auto stored = StoredPredictions::from_json(store_predictions(cases, labels, 0.0).to_json(), "p.json");
    for (double t : {0.05, 0.3, 0.5, 0.77, 0.99}) {
        EvaluationOptions fixed;
        fixed.thresholds = {{"a", t}, {"b", t}};
        const auto fresh = evaluate(cases, labels, fixed);
        const auto points = stored.at({}, t);
        for (const auto& m : fresh.labels) {
            const auto& p = points.at(m.label);
            EXPECT_EQ(p.true_positives, m.assumed.true_positives) << m.label << " at " << t;
            EXPECT_EQ(p.false_positives, m.assumed.false_positives) << m.label << " at " << t;
            EXPECT_EQ(p.false_negatives, m.assumed.false_negatives) << m.label << " at " << t;
            EXPECT_DOUBLE_EQ(p.f1, m.assumed.f1);
        }
        // Per image, the judged boxes add up to the evaluation's per-image counts.
        for (const auto& im : fresh.images) {
            size_t tp = 0, fp = 0, fn = 0;
            for (const auto& b : stored.judge(im.image, {}, t))
                (b.outcome == Outcome::TruePositive ? tp : b.outcome == Outcome::FalsePositive ? fp : fn)++;
            EXPECT_EQ(tp, im.true_positives);
            EXPECT_EQ(fp, im.false_positives);
            EXPECT_EQ(fn, im.false_negatives);
        }
    }
    EXPECT_THROW(stored.judge("missing.jpg", {}, 0.5), NotFound);
}

TEST(StoredPredictions, TheFloorDropsOnlyLowDetectionsAndBadFilesAreNamed) {
    const auto cases = random_cases(8);
    const auto stored = store_predictions(cases, {"a", "b"}, 0.2);
    size_t kept = 0, above = 0;
    for (const auto& img : stored.images)
        for (const auto& d : img.detections) {
            ++kept;
            EXPECT_GE(d.confidence, 0.2);
        }
    for (const auto& c : cases)
        for (const auto& d : c.detections) above += d.score >= 0.2;
    EXPECT_EQ(kept, above);
    Json j = stored.to_json();
    j["images"][3]["detections"][0][3] = 99;
    try {
        StoredPredictions::from_json(j, "predictions.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("images[3]"), std::string::npos) << e.what();
    }
}

TEST(StoredPredictions, SummaryHasTheEvaluationShape) {
    const auto cases = random_cases(9);
    const auto stored = store_predictions(cases, {"a", "b"}, 0.0);
    EvaluationOptions fixed;
    fixed.thresholds = {{"a", 0.4}, {"b", 0.6}};
    const auto fresh = evaluate(cases, {"a", "b"}, fixed).to_json();
    const auto summary = stored.summary_at({{"a", 0.4}}, 0.6);
    EXPECT_DOUBLE_EQ(summary["overall"]["f1"].get<double>(), fresh["overall"]["f1"].get<double>());
    for (size_t i = 0; i < 2; ++i)
        for (const char* k : {"threshold", "precision", "recall", "true_positives", "false_negatives"})
            EXPECT_EQ(summary["labels"][i]["assumed"][k], fresh["labels"][i]["assumed"][k]) << k;
    EXPECT_EQ(summary["images"], fresh["images"]);
}
