// CenterNet's structure, head replacement, input handling and decoding, without the weights.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "nn/centernet.h"
#include "nn/centernet_decode.h"
#include "nn/centernet_input.h"
#include "nn/coco.h"
#include "nn/pretrained.h"
#include "nn/runtime.h"
#include "support/test_support.h"

namespace apiary::nn {
namespace {

int64_t parameter_count(torch::nn::Module& m) {
    int64_t n = 0;
    for (const auto& p : m.parameters()) n += p.numel();
    return n;
}

TEST(CenterNet, OutputsAtStride4ForAnyMultipleOf32) {
    configure_runtime();
    CenterNet net;
    net->eval();
    torch::NoGradGuard no_grad;
    for (const auto& [h, w] : std::vector<std::pair<int64_t, int64_t>>{{64, 64}, {32, 96}, {160, 96}}) {
        const CenterNetOutput out = net->forward(torch::rand({2, 3, h, w}) * 255);
        EXPECT_EQ(out.heatmap.sizes(), (std::vector<int64_t>{2, 80, h / 4, w / 4}));
        EXPECT_EQ(out.boxes.sizes(), (std::vector<int64_t>{2, 4, h / 4, w / 4}));
    }
}

TEST(CenterNet, HasTheParameterCountOfThePretrainedGraph) {
    // About 2.0 M (ARCHITECTURE.md); exactly the sum of the graph's non-scalar float weights.
    CenterNet net;
    EXPECT_EQ(parameter_count(*net), 2014924);
}

TEST(CenterNet, RejectsSizesThatAreNotMultiplesOf32) {
    CenterNet net;
    torch::NoGradGuard no_grad;
    EXPECT_THROW(net->forward(torch::zeros({1, 3, 100, 128})), c10::Error);
    EXPECT_THROW(net->forward(torch::zeros({1, 1, 128, 128})), c10::Error);
}

TEST(CenterNet, ReplaceHeatmapHeadKeepsEverythingElse) {
    CenterNet net;
    const torch::Tensor depthwise_before = net->heatmap_head->depthwise->weight.clone();
    const torch::Tensor box_before = net->box_head->regressor->weight.clone();
    const int64_t before = parameter_count(*net);

    net->replace_heatmap_head(3);
    EXPECT_EQ(net->num_classes(), 3);
    EXPECT_EQ(parameter_count(*net), before - (128 * 80 + 80) + (128 * 3 + 3));
    EXPECT_TRUE(torch::equal(net->heatmap_head->depthwise->weight, depthwise_before));
    EXPECT_TRUE(torch::equal(net->box_head->regressor->weight, box_before));
    EXPECT_TRUE(torch::allclose(net->heatmap_head->classifier->bias, torch::full({3}, -4.59512f)));
    EXPECT_LT(net->heatmap_head->classifier->weight.std().item<float>(), 0.05f);

    // The new head is registered (an optimizer built afterwards sees it) and used.
    bool found = false;
    for (const auto& p : net->named_parameters())
        if (p.key() == "heatmap_head.classifier.weight") found = p.value().size(0) == 3;
    EXPECT_TRUE(found);
    torch::NoGradGuard no_grad;
    const CenterNetOutput out = net->forward(torch::zeros({1, 3, 64, 64}));
    EXPECT_EQ(out.heatmap.size(1), 3);
    // Freshly initialised: every probability is near the prior 0.01.
    EXPECT_NEAR(torch::sigmoid(out.heatmap).mean().item<float>(), 0.01f, 0.01f);
}

TEST(CenterNet, TrainsEndToEnd) {
    CenterNet net(2);
    net->train();
    const CenterNetOutput out = net->forward(torch::rand({1, 3, 64, 64}) * 255);
    (torch::sigmoid(out.heatmap).mean() + out.boxes.abs().mean()).backward();
    for (const auto& p : net->named_parameters()) {
        ASSERT_TRUE(p.value().grad().defined()) << p.key();
        EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << p.key();
    }
}

TEST(ImageTransform, StretchAndLetterbox) {
    const ImageTransform s = ImageTransform::stretch(768, 576, 512, 512);
    const Box b = s.to_original(Box::from_corners(0, 0, 512, 512));
    EXPECT_DOUBLE_EQ(b.right(), 768);
    EXPECT_DOUBLE_EQ(b.bottom(), 576);

    const ImageTransform l = ImageTransform::letterbox(768, 576, 512, 512);
    EXPECT_EQ(l.content_width, 512);
    EXPECT_EQ(l.content_height, 384);
    EXPECT_EQ(l.content_x, 0);
    EXPECT_EQ(l.content_y, 64);
    const Box original = Box::from_corners(100, 50, 300, 400);
    const Box net = l.to_network(original);
    EXPECT_NEAR(net.top, 50 * 512.0 / 768 + 64, 1e-9);
    const Box back = l.to_original(net);
    EXPECT_NEAR(back.left, 100, 1e-9);
    EXPECT_NEAR(back.bottom(), 400, 1e-9);
}

TEST(ToNetworkInput, AcceptsChwAndNchwBytesOrFloats) {
    const torch::Tensor rgb = torch::randint(0, 256, {3, 64, 96}, torch::kUInt8);
    const torch::Tensor x = to_network_input(rgb, torch::kCPU);
    EXPECT_EQ(x.sizes(), (std::vector<int64_t>{1, 3, 64, 96}));
    EXPECT_EQ(x.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(x[0], rgb.to(torch::kFloat32)));  // 0–255, not normalised
    EXPECT_EQ(to_network_input(torch::zeros({2, 3, 32, 32}, torch::kFloat64), torch::kCPU).sizes(),
              (std::vector<int64_t>{2, 3, 32, 32}));
    EXPECT_THROW(to_network_input(torch::zeros({3, 100, 64}), torch::kCPU), c10::Error);
    EXPECT_THROW(to_network_input(torch::zeros({64, 64, 3}), torch::kCPU), c10::Error);
}

// A 16×16 output (64×64 input): one strong peak, a weaker neighbour it suppresses, a second
// class's peak elsewhere, and a box that overflows the image.
CenterNetOutput synthetic_output() {
    torch::Tensor heat = torch::full({1, 3, 16, 16}, -10.0f);
    torch::Tensor boxes = torch::zeros({1, 4, 16, 16});
    heat[0][2][3][5] = 2.0f;   // class 2 at cell (x 5, y 3): score sigmoid(2) = 0.881
    heat[0][2][3][6] = 1.0f;   // neighbour, not a local maximum
    heat[0][0][10][12] = 0.0f; // class 0 at (12, 10): score 0.5
    boxes[0].select(1, 3).select(1, 5).copy_(torch::tensor({4.0f, 8.0f, 12.0f, 16.0f}));
    boxes[0].select(1, 10).select(1, 12).copy_(torch::tensor({60.0f, 1.0f, 100.0f, 2.0f}));
    return {heat, boxes};
}

TEST(DecodeCenterNet, FindsPeaksAndMapsBoxesToTheOriginal) {
    const CenterNetOutput out = synthetic_output();
    // Original 128 wide, 32 high, stretched to 64×64: x / 0.5, y / 2.
    const ImageTransform t = ImageTransform::stretch(128, 32, 64, 64);
    DecodeOptions options;
    options.min_score = 0.1f;
    const auto dets = decode_centernet(out, t, options);
    ASSERT_EQ(dets.size(), 2u);

    EXPECT_EQ(dets[0].class_id, 2);
    EXPECT_NEAR(dets[0].score, 0.8808f, 1e-4);
    // Cell point (20, 12) → network box (16, 4, 32, 28) → original (32, 2, 64, 14).
    EXPECT_DOUBLE_EQ(dets[0].box.left, 32);
    EXPECT_DOUBLE_EQ(dets[0].box.top, 2);
    EXPECT_DOUBLE_EQ(dets[0].box.right(), 64);
    EXPECT_DOUBLE_EQ(dets[0].box.bottom(), 14);

    EXPECT_EQ(dets[1].class_id, 0);
    EXPECT_NEAR(dets[1].score, 0.5f, 1e-6);
    // Cell point (48, 40) → network (-12, 39, 148, 42) → original (-24, 19.5, 296, 21), clipped.
    EXPECT_DOUBLE_EQ(dets[1].box.left, 0);
    EXPECT_DOUBLE_EQ(dets[1].box.right(), 128);
    EXPECT_DOUBLE_EQ(dets[1].box.top, 19.5);

    options.clip = false;
    EXPECT_DOUBLE_EQ(decode_centernet(out, t, options)[1].box.left, -24);
}

TEST(DecodeCenterNet, TopKAndThreshold) {
    const CenterNetOutput out = synthetic_output();
    const ImageTransform t = ImageTransform::stretch(64, 64, 64, 64);
    DecodeOptions options;
    options.top_k = 1;
    EXPECT_EQ(decode_centernet(out, t, options).size(), 1u);
    options.top_k = 100;
    options.min_score = 0.6f;
    EXPECT_EQ(decode_centernet(out, t, options).size(), 1u);
    // Without a threshold, the -10 logits count too (score 4.5e-5), up to top_k.
    options.min_score = 0.0f;
    EXPECT_EQ(decode_centernet(out, t, options).size(), 100u);
}

TEST(DecodeCenterNet, HandlesBatches) {
    const CenterNetOutput one = synthetic_output();
    const CenterNetOutput two{torch::cat({one.heatmap, one.heatmap.flip({3})}), torch::cat({one.boxes, one.boxes})};
    const ImageTransform t = ImageTransform::stretch(64, 64, 64, 64);
    DecodeOptions options;
    options.min_score = 0.1f;
    const auto dets = decode_centernet(two, {t, t}, options);
    ASSERT_EQ(dets.size(), 2u);
    EXPECT_EQ(dets[0].size(), 2u);
    EXPECT_EQ(dets[1].size(), 2u);
    EXPECT_THROW(decode_centernet(two, {t}, options), c10::Error);
}

TEST(CocoNames, MatchDarknetOrder) {
    const auto& names = coco_class_names();
    ASSERT_EQ(names.size(), 80u);
    EXPECT_EQ(names[0], "person");
    EXPECT_EQ(names[16], "dog");
    EXPECT_EQ(names[17], "horse");
    std::ifstream darknet("/usr/share/darknet/data/coco.names");
    if (!darknet) GTEST_SKIP() << "darknet not installed";
    std::string line;
    for (size_t i = 0; std::getline(darknet, line) && i < names.size(); ++i) EXPECT_EQ(names[i], line) << i;
}

TEST(Pretrained, MissingWeightsTellTheUserToRunSetup) {
    test::TempDir dir;
    const char* old = std::getenv("APIARY_CACHE");
    const std::string saved = old ? old : "";
    ::setenv("APIARY_CACHE", dir.path().c_str(), 1);
    EXPECT_EQ(pretrained_models_dir(), dir.path() / "human-models-3.0.4");
    try {
        pretrained_model_json("centernet");
        ADD_FAILURE() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("scripts/setup.sh"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("centernet.json"), std::string::npos) << e.what();
    }
    if (old)
        ::setenv("APIARY_CACHE", saved.c_str(), 1);
    else
        ::unsetenv("APIARY_CACHE");
}

TEST(Threads, ConfigureThreads) {
    EXPECT_EQ(configure_runtime(1), 1);
    EXPECT_GE(configure_runtime(), 1);
}

}  // namespace
}  // namespace apiary::nn
