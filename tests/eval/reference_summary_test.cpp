#include "eval/reference_summary.h"

#include <gtest/gtest.h>

namespace apiary::eval {
namespace {

Evaluation two_labels() {
    Evaluation ev;
    LabelMetrics bee, wasp;
    bee.label = "bee", bee.test_images = 7, bee.ap50 = 0.9;
    bee.assumed.threshold = 0.4, bee.assumed.precision = 1.0, bee.assumed.recall = 0.8, bee.assumed.f1 = 0.889;
    wasp.label = "wasp", wasp.test_images = 3, wasp.ap50 = 0.5;
    wasp.assumed.threshold = 0.6, wasp.assumed.precision = 0.5, wasp.assumed.recall = 0.4, wasp.assumed.f1 = 0.444;
    ev.labels = {bee, wasp};
    ev.f1 = 0.7, ev.precision = 0.8, ev.recall = 0.65, ev.ap50 = 0.7;
    return ev;
}

TEST(ReferenceSummary, HasTheReferenceShapeWithAverageRecall) {
    const Json s = reference_summary(two_labels(), "arn:v", 40, 10);
    EXPECT_EQ(s["Version"], 1);
    EXPECT_EQ(s["EvaluationDetails"]["NumberOfTrainingImages"], 40);
    EXPECT_EQ(s["EvaluationDetails"]["NumberOfTestingImages"], 10);
    EXPECT_EQ(s["EvaluationDetails"]["ProjectVersionArn"], "arn:v");
    EXPECT_EQ(s["EvaluationDetails"]["Labels"], Json::array({"bee", "wasp"}));
    const Json& agg = s["AggregatedEvaluationResults"];
    EXPECT_DOUBLE_EQ(agg["F1Score"].get<double>(), 0.7);
    EXPECT_DOUBLE_EQ(agg["AverageRecall"].get<double>(), 0.6) << "the mean of the labels' recalls";
    ASSERT_EQ(s["LabelEvaluationResults"].size(), 2u);
    EXPECT_EQ(s["LabelEvaluationResults"][1]["Label"], "wasp");
    EXPECT_DOUBLE_EQ(s["LabelEvaluationResults"][1]["Metrics"]["Threshold"].get<double>(), 0.6);
    EXPECT_EQ(s["LabelEvaluationResults"][0]["NumberOfTestingImages"], 7);
}

TEST(ReferenceSummary, AverageRecallIsAddedOnlyWhereMissing) {
    Json old = reference_summary(two_labels(), "arn:v", 40, 10);
    old["AggregatedEvaluationResults"].erase("AverageRecall");  // a summary from before
    add_average_recall(old);
    EXPECT_DOUBLE_EQ(old["AggregatedEvaluationResults"]["AverageRecall"].get<double>(), 0.6);
    old["AggregatedEvaluationResults"]["AverageRecall"] = 0.25;
    add_average_recall(old);
    EXPECT_DOUBLE_EQ(old["AggregatedEvaluationResults"]["AverageRecall"].get<double>(), 0.25);
    Json not_a_summary = Json::array();
    add_average_recall(not_a_summary);
    EXPECT_EQ(not_a_summary, Json::array());
}

}  // namespace
}  // namespace apiary::eval
