// The review queue: results in a pipeline's band wait for a person, once per object; a decision
// is final and names who made it.
#include <gtest/gtest.h>

#include "core/error.h"
#include "pipeline/pipeline_store.h"
#include "pipeline/review_queue.h"
#include "support/test_support.h"

namespace apiary::pipeline {
namespace {

const std::string kModel = "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/1";

Json response_with(std::vector<double> confidences) {
    Json labels = Json::array();
    for (double c : confidences) labels.push_back({{"Name", "bee"}, {"Confidence", c}});
    return {{"CustomLabels", labels}};
}

class ReviewQueueTest : public ::testing::Test {
protected:
    PipelineSpec spec() const {
        PipelineSpec s;
        s.name = "cams";
        s.bucket = "in";
        s.model = kModel;
        s.review_min = 30, s.review_max = 80;
        return s;
    }
    test::TempDir tmp;
    store::DataDir dir{tmp.path() / "data"};
};

TEST_F(ReviewQueueTest, QueuesOnlyResultsWhoseBestConfidenceIsInTheBand) {
    ReviewQueue q(dir);
    EXPECT_TRUE(q.offer(spec(), "in", "a.jpg", response_with({12, 55})));   // best 55
    EXPECT_FALSE(q.offer(spec(), "in", "b.jpg", response_with({95, 40})));  // best 95: sure enough
    EXPECT_FALSE(q.offer(spec(), "in", "c.jpg", response_with({})));        // best 0: nothing there
    EXPECT_TRUE(q.offer(spec(), "in", "d.jpg", response_with({30})));       // the band's ends count
    PipelineSpec no_band = spec();
    no_band.review_min.reset(), no_band.review_max.reset();
    EXPECT_FALSE(q.offer(no_band, "in", "e.jpg", response_with({50})));
    const auto pending = q.list();
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].key, "d.jpg");  // newest first
    EXPECT_DOUBLE_EQ(pending[1].best_confidence, 55);
    EXPECT_EQ(q.counts().pending, 2);
}

TEST_F(ReviewQueueTest, ARetriedResultReplacesThePendingReviewAndADecisionIsFinal) {
    ReviewQueue q(dir);
    q.offer(spec(), "in", "a.jpg", response_with({40}));
    q.offer(spec(), "in", "a.jpg", response_with({60}));
    auto all = q.list("", "");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_DOUBLE_EQ(all[0].best_confidence, 60);
    const auto decided = q.decide(all[0].id, true, "AKIAREVIEWER");
    EXPECT_EQ(decided.state, "accepted");
    EXPECT_EQ(decided.reviewer, "AKIAREVIEWER");
    EXPECT_GT(decided.reviewed_ms, 0);
    EXPECT_THROW(q.decide(all[0].id, false, "AKIAOTHER"), Conflict);
    // A later result for an accepted object does not reopen it.
    q.offer(spec(), "in", "a.jpg", response_with({50}));
    EXPECT_EQ(q.get(all[0].id).state, "accepted");
    EXPECT_EQ(q.counts().accepted, 1);
    EXPECT_EQ(q.list("pending").size(), 0u);
    EXPECT_THROW(q.get(999), NotFound);
    EXPECT_THROW(q.list("maybe"), Error);
}

TEST_F(ReviewQueueTest, TheBandIsStoredWithThePipelineAndChecked) {
    PipelineStore store(dir);
    store.create(spec());
    const auto got = store.get("cams");
    ASSERT_TRUE(got.review_min && got.review_max);
    EXPECT_DOUBLE_EQ(*got.review_max, 80);
    PipelineSpec bad = spec();
    bad.name = "bad";
    bad.review_min = 90;
    EXPECT_THROW(store.create(bad), Error);
    bad.review_max.reset();
    EXPECT_THROW(store.create(bad), Error);
    // Deleting the pipeline deletes its reviews.
    ReviewQueue q(dir);
    q.offer(got, "in", "a.jpg", response_with({50}));
    store.remove("cams");
    EXPECT_EQ(q.counts().pending, 0);
}

}  // namespace
}  // namespace apiary::pipeline
