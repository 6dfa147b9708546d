// CenterNet loss: focal loss on the heatmap logits, weighted GIoU on the box distances.
#include <gtest/gtest.h>

#include <cmath>

#include "nn/centernet.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"

namespace apiary::nn {
namespace {

// Targets on a 1 × 1 grid of `c` classes: heatmap values `heat`, one weighted cell.
TargetBatch tiny_targets(const std::vector<float>& heat, const std::vector<float>& dist, float weight) {
    TargetBatch t;
    const auto c = static_cast<int64_t>(heat.size());
    t.heatmap = torch::tensor(heat).reshape({1, c, 1, 1});
    t.boxes = torch::tensor(dist).reshape({1, 4, 1, 1});
    t.box_weight = torch::full({1, 1, 1, 1}, weight);
    return t;
}

CenterNetOutput tiny_output(const std::vector<float>& logits, const std::vector<float>& dist) {
    const auto c = static_cast<int64_t>(logits.size());
    return {torch::tensor(logits).reshape({1, c, 1, 1}), torch::tensor(dist).reshape({1, 4, 1, 1})};
}

const double kLogHalf = std::log(0.5);

TEST(Loss, FocalByHand) {
    // Logit 0 → p = 0.5. Centre (target 1): -(1 - p)^2 log p. Background (target y < 1):
    // -(1 - y)^4 p^2 log(1 - p). Divided by the number of centres (at least 1).
    const std::vector<float> d = {1, 1, 1, 1};
    EXPECT_NEAR(centernet_loss(tiny_output({0}, d), tiny_targets({1}, d, 1)).heatmap.item<double>(), -0.25 * kLogHalf, 1e-6);
    EXPECT_NEAR(centernet_loss(tiny_output({0}, d), tiny_targets({0}, d, 1)).heatmap.item<double>(), -0.25 * kLogHalf, 1e-6);
    EXPECT_NEAR(centernet_loss(tiny_output({0}, d), tiny_targets({0.5}, d, 1)).heatmap.item<double>(),
                -0.0625 * 0.25 * kLogHalf, 1e-6);
    // Two centres and one background cell: (2 · centre + background) / 2.
    EXPECT_NEAR(centernet_loss(tiny_output({0, 0, 0}, d), tiny_targets({1, 1, 0}, d, 1)).heatmap.item<double>(),
                -(0.25 + 0.25 + 0.25) * kLogHalf / 2, 1e-6);
}

TEST(Loss, GiouByHand) {
    // Both boxes share the cell's point. Pred 2 × 2 inside target 4 × 4: IoU = 1/4, enclosing = union.
    auto parts = centernet_loss(tiny_output({0}, {1, 1, 1, 1}), tiny_targets({1}, {2, 2, 2, 2}, 1));
    EXPECT_NEAR(parts.box.item<double>(), 0.75, 1e-4);
    // Two 2 × 2 boxes meeting at the point: IoU 0, union 8, enclosing 16 → GIoU -0.5, loss 1.5.
    parts = centernet_loss(tiny_output({0}, {0, 0, 2, 2}), tiny_targets({1}, {2, 2, 0, 0}, 1));
    EXPECT_NEAR(parts.box.item<double>(), 1.5, 1e-4);
    // Same box: 0.
    parts = centernet_loss(tiny_output({0}, {3, 1, 2, 5}), tiny_targets({1}, {3, 1, 2, 5}, 1));
    EXPECT_NEAR(parts.box.item<double>(), 0.0, 1e-5);
    // Negative predicted distances count as 0 (relu): pred is the 2 × 2 box right-below.
    parts = centernet_loss(tiny_output({0}, {-5, -5, 2, 2}), tiny_targets({1}, {2, 2, 2, 2}, 1));
    EXPECT_NEAR(parts.box.item<double>(), 0.75, 1e-4);
    // The total is heatmap_weight · focal + box_weight · GIoU.
    LossOptions o;
    o.heatmap_weight = 2;
    o.box_weight = 3;
    parts = centernet_loss(tiny_output({0}, {1, 1, 1, 1}), tiny_targets({1}, {2, 2, 2, 2}, 1), o);
    EXPECT_NEAR(parts.total.item<double>(), 2 * -0.25 * kLogHalf + 3 * 0.75, 1e-4);
}

TEST(Loss, GiouIsAverageWeightedByBoxWeight) {
    // Two cells: weight 1 with loss 0.75, weight 3 with loss 0 → 0.75 / 4.
    TargetBatch t;
    t.heatmap = torch::zeros({1, 1, 1, 3});
    t.boxes = torch::tensor({2.f, 3.f, 9.f, 2.f, 3.f, 9.f, 2.f, 3.f, 9.f, 2.f, 3.f, 9.f}).reshape({1, 4, 1, 3});
    t.box_weight = torch::tensor({1.f, 3.f, 0.f}).reshape({1, 1, 1, 3});
    // Cell 2 has weight 0: its (bad, even NaN-prone all-zero) prediction must not matter.
    const CenterNetOutput out{torch::zeros({1, 1, 1, 3}),
                              torch::tensor({1.f, 3.f, 0.f, 1.f, 3.f, 0.f, 1.f, 3.f, 0.f, 1.f, 3.f, 0.f}).reshape({1, 4, 1, 3})};
    EXPECT_NEAR(centernet_loss(out, t).box.item<double>(), 0.75 / 4, 1e-4);
}

// A realistic case: targets for two objects on a 64 × 64 input (16 × 16 grid).
TargetBatch two_objects() {
    return encode_targets({{Box{4, 8, 24, 20}, Box{30, 28, 30, 32}}}, {{0, 1}}, 2, 64, 64);
}

TEST(Loss, PerfectPredictionsScoreNearZero) {
    const TargetBatch t = two_objects();
    // Logits: +12 at the centres, and the background's logit such that p = y exactly (the
    // penalty-reduced loss is then small but not 0), or -12 everywhere else.
    const torch::Tensor centres = t.heatmap.eq(1.0f);
    const torch::Tensor perfect_logits = torch::where(centres, torch::full_like(t.heatmap, 12.0), torch::full_like(t.heatmap, -12.0));
    const LossParts perfect = centernet_loss({perfect_logits, t.boxes.clone()}, t);
    EXPECT_LT(perfect.heatmap.item<double>(), 1e-4);
    EXPECT_NEAR(perfect.box.item<double>(), 0.0, 1e-4);

    // Predicting the prior (0.01) everywhere and boxes half the size: both parts larger.
    const LossParts prior = centernet_loss({torch::full_like(t.heatmap, -4.59512), t.boxes * 0.5}, t);
    EXPECT_GT(prior.heatmap.item<double>(), 1.0);  // ≈ -log(0.01) per centre
    EXPECT_GT(prior.box.item<double>(), 0.5);
    // Centres swapped between the two classes: worse than the prior.
    const LossParts swapped = centernet_loss({perfect_logits.flip({1}), t.boxes * 3}, t);
    EXPECT_GT(swapped.heatmap.item<double>(), prior.heatmap.item<double>());
    EXPECT_GT(swapped.box.item<double>(), 0.3);
}

TEST(Loss, FiniteForExtremeLogits) {
    const TargetBatch t = two_objects();
    for (const double v : {-50.0, 50.0, -1e4, 1e4}) {
        const torch::Tensor logits = torch::full_like(t.heatmap, v).requires_grad_();
        const torch::Tensor boxes = (t.boxes * 0 + (v > 0 ? 1e4 : -1e4)).requires_grad_();
        const LossParts parts = centernet_loss({logits, boxes}, t);
        EXPECT_TRUE(std::isfinite(parts.total.item<double>())) << v;
        parts.total.backward();
        EXPECT_TRUE(torch::isfinite(logits.grad()).all().item<bool>()) << v;
        EXPECT_TRUE(torch::isfinite(boxes.grad()).all().item<bool>()) << v;
    }
    // Wrong with confidence costs about |logit| per centre: -50 at the centres.
    const LossParts wrong = centernet_loss({torch::full_like(t.heatmap, -50.0), t.boxes}, t);
    EXPECT_NEAR(wrong.heatmap.item<double>(), 50.0, 0.1);
}

TEST(Loss, EmptyTargetsGiveBackgroundLossOnly) {
    const TargetBatch t = encode_targets({{}}, {{}}, 2, 64, 64);
    const torch::Tensor logits = torch::zeros({1, 2, 16, 16}).requires_grad_();
    const torch::Tensor boxes = torch::ones({1, 4, 16, 16}).requires_grad_();
    const LossParts parts = centernet_loss({logits, boxes}, t);
    EXPECT_EQ(parts.box.item<double>(), 0.0);
    EXPECT_NEAR(parts.heatmap.item<double>(), 2 * 16 * 16 * -0.25 * kLogHalf, 1e-2);  // divided by max(1, 0)
    parts.total.backward();
    EXPECT_GT(logits.grad().abs().sum().item<double>(), 0.0);
    EXPECT_EQ(boxes.grad().abs().sum().item<double>(), 0.0);
}

TEST(Loss, PartsAreDetachedAndTotalIsDifferentiable) {
    const TargetBatch t = two_objects();
    const torch::Tensor logits = torch::zeros({1, 2, 16, 16}).requires_grad_();
    const torch::Tensor boxes = torch::full({1, 4, 16, 16}, 5.0).requires_grad_();
    const LossParts parts = centernet_loss({logits, boxes}, t);
    EXPECT_TRUE(parts.total.requires_grad());
    EXPECT_FALSE(parts.heatmap.requires_grad());
    EXPECT_FALSE(parts.box.requires_grad());
    EXPECT_EQ(parts.total.dim(), 0);
    EXPECT_NEAR(parts.total.item<double>(), parts.heatmap.item<double>() + 5 * parts.box.item<double>(), 1e-4);
}

TEST(Loss, GradientsReachBothHeads) {
    torch::manual_seed(3);
    CenterNet net(2);
    net->train();
    {
        // A fresh box head predicts distances around 0, and relu passes no gradient where they
        // are negative; start it at positive distances (≈ 16 px) as the pretrained one does.
        torch::NoGradGuard no_grad;
        net->box_head->regressor->bias.fill_(1.0);
    }
    const TargetBatch t = two_objects();
    const LossParts parts = centernet_loss(net->forward(torch::rand({1, 3, 64, 64}) * 255), t);
    parts.total.backward();
    const auto nonzero = [](const torch::Tensor& g) { return g.defined() && g.abs().sum().item<double>() > 0; };
    EXPECT_TRUE(nonzero(net->heatmap_head->classifier->weight.grad()));
    EXPECT_TRUE(nonzero(net->heatmap_head->classifier->bias.grad()));
    EXPECT_TRUE(nonzero(net->box_head->regressor->weight.grad()));
    EXPECT_TRUE(nonzero(net->box_head->regressor->bias.grad()));
    EXPECT_TRUE(nonzero(net->backbone->parameters().front().grad()));
}

TEST(Loss, RejectsMismatchedTargets) {
    const TargetBatch t = two_objects();  // 2 classes
    EXPECT_THROW(centernet_loss({torch::zeros({1, 3, 16, 16}), torch::zeros({1, 4, 16, 16})}, t), c10::Error);
    EXPECT_THROW(centernet_loss({torch::zeros({1, 2, 8, 8}), torch::zeros({1, 4, 8, 8})}, t), c10::Error);
}

}  // namespace
}  // namespace apiary::nn
