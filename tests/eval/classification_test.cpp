// Classification judged through the detection machinery: whole-image cases, accuracy, macro F1
// and the confusion matrix in the reference summary's shape.
#include <gtest/gtest.h>

#include "eval/classification.h"
#include "eval/evaluation.h"
#include "eval/predictions.h"

using namespace apiary;

namespace {
const std::vector<std::string> kLabels = {"cat", "dog"};
}

TEST(Classification, WholeImageCasesGiveClassificationCounts) {
    std::vector<eval::ImageCase> cases = {
        eval::classification_case("a.jpg", 100, 80, {"cat"}, {0.9, 0.1}, kLabels),
        eval::classification_case("b.jpg", 100, 80, {"cat"}, {0.3, 0.7}, kLabels),  // wrong
        eval::classification_case("c.jpg", 100, 80, {"dog"}, {0.2, 0.8}, kLabels),
        eval::classification_case("d.jpg", 100, 80, {"dog"}, {0.4, 0.6}, kLabels),
    };
    ASSERT_EQ(cases[0].truth.size(), 1u);
    EXPECT_EQ(cases[0].truth[0].box.width, 100);
    const auto ev = eval::evaluate(cases, kLabels);
    const auto m = eval::classification_metrics(cases, kLabels, false, ev);
    EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
    ASSERT_EQ(m.confusion.size(), 2u);
    EXPECT_EQ(m.confusion[0], (std::vector<size_t>{1, 1}));  // cat: one right, one called dog
    EXPECT_EQ(m.confusion[1], (std::vector<size_t>{0, 2}));
    const Json ref = m.reference_confusion_matrix();
    ASSERT_EQ(ref.size(), 4u);
    EXPECT_EQ(ref[1].at("GroundTruthLabel"), "cat");
    EXPECT_EQ(ref[1].at("PredictedLabel"), "dog");
    EXPECT_DOUBLE_EQ(ref[1].at("Value").get<double>(), 0.5);
    // cat at 0.9 keeps a (precision 1, recall 0.5, F1 0.67); at 0.3 it keeps a, d and b
    // (precision 2/3, recall 1): F1 0.8, the best.
    EXPECT_NEAR(ev.labels[0].assumed.f1, 0.8, 1e-9);
    EXPECT_NEAR(m.macro_f1, (ev.labels[0].assumed.f1 + ev.labels[1].assumed.f1) / 2, 1e-12);
    // The stored predictions judge the same cases: every truth box matched or missed once.
    const auto stored = eval::store_predictions(cases, kLabels);
    EXPECT_EQ(stored.images.size(), 4u);
}

TEST(Classification, MultiLabelAccuracyIsExactMatchAtTheAssumedThresholds) {
    std::vector<eval::ImageCase> cases = {
        eval::classification_case("a.jpg", 10, 10, {"cat", "dog"}, {0.9, 0.8}, kLabels),
        eval::classification_case("b.jpg", 10, 10, {"cat"}, {0.9, 0.1}, kLabels),
        eval::classification_case("c.jpg", 10, 10, {}, {0.1, 0.2}, kLabels),
    };
    const auto ev = eval::evaluate(cases, kLabels);
    const auto m = eval::classification_metrics(cases, kLabels, true, ev);
    EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
    EXPECT_TRUE(m.confusion.empty());
    EXPECT_FALSE(m.to_json().contains("confusion_matrix"));
    EXPECT_TRUE(m.reference_confusion_matrix().empty());
}
