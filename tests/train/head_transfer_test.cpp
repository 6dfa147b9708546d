// Head transfer on real photographs: a label drawn around darknet's sample dogs should start
// from the pretrained COCO "dog" detector, one drawn around its people from "person".
// Skipped when the weights (scripts/fetch-weights.sh) or darknet's images are missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "nn/centernet_import.h"
#include "nn/coco.h"
#include "nn/pretrained.h"
#include "nn/runtime.h"
#include "train/head_transfer.h"

namespace apiary::train {
namespace {

namespace fs = std::filesystem;
const fs::path kDarknetData = "/usr/share/darknet/data";
constexpr int64_t kPerson = 0, kDog = 16;

CachedImage photo(const std::string& name, std::vector<Box> boxes, std::vector<int> labels) {
    CachedImage img;
    img.source_ref = name;
    img.image = cv::imread((kDarknetData / name).string(), cv::IMREAD_COLOR);
    img.boxes = std::move(boxes);
    img.labels = std::move(labels);
    return img;
}

class HeadTransferTest : public ::testing::Test {
protected:
    void SetUp() override {
        nn::configure_runtime();
        try {
            nn::pretrained_model_json("centernet");
        } catch (const Error& e) {
            GTEST_SKIP() << e.what();
        }
        if (!fs::exists(kDarknetData / "dog.jpg") || !fs::exists(kDarknetData / "person.jpg"))
            GTEST_SKIP() << "darknet sample images not installed (apt-get install darknet)";
    }
};

TEST_F(HeadTransferTest, EachLabelStartsFromTheCocoClassThatAlreadyFindsIt) {
    // Labels 0 "hound" and 1 "figure"; boxes as in tests/nn/coco_import_test.cpp.
    const std::vector<CachedImage> images = {
        photo("dog.jpg", {Box::from_corners(124, 207, 312, 542)}, {0}),
        photo("person.jpg", {Box::from_corners(64, 263, 204, 346), Box::from_corners(189, 97, 276, 375)}, {0, 1}),
    };
    nn::CenterNet net = nn::load_pretrained_centernet(torch::kCPU);
    net->train();
    const HeadTransfer t = choose_head_transfer(*net, images, 2, 448);
    EXPECT_TRUE(net->is_training()) << "the network's mode is restored";
    EXPECT_EQ(t.images, 2u);
    ASSERT_EQ(t.start_from.size(), 2u);
    EXPECT_EQ(t.start_from[0], kDog);
    EXPECT_EQ(t.start_from[1], kPerson);
    for (size_t l = 0; l < 2; ++l) EXPECT_LT(t.loss[l], t.fresh_loss[l]) << "label " << l;

    const Json j = t.to_json({"hound", "figure"});
    EXPECT_EQ(j["hound"]["start"], "dog");
    EXPECT_EQ(j["figure"]["start"], "person");

    // The chosen start is an exact copy of the COCO class's detector.
    nn::CenterNet coco = nn::load_pretrained_centernet(torch::kCPU);
    nn::CenterNet replaced = nn::load_pretrained_centernet(torch::kCPU);
    replaced->replace_heatmap_head(2, t.start_from);
    coco->eval();
    replaced->eval();
    torch::NoGradGuard no_grad;
    const auto input = torch::rand({1, 3, 128, 128}) * 255;
    const auto before = coco->forward(input).heatmap;
    const auto after = replaced->forward(input).heatmap;
    EXPECT_TRUE(torch::allclose(after.select(1, 0), before.select(1, kDog)));
    EXPECT_TRUE(torch::allclose(after.select(1, 1), before.select(1, kPerson)));
}

TEST_F(HeadTransferTest, TwoLabelsThatBothLookLikeDogsDoNotShareItsDetector) {
    // Two labels drawn round the same dogs: each alone starts from "dog". Started as two copies of
    // one channel, both would fire on both labels' objects; one keeps "dog", the other starts
    // fresh. (Equal fits: the first label.)
    const std::vector<CachedImage> images = {
        photo("dog.jpg", {Box::from_corners(124, 207, 312, 542), Box::from_corners(124, 207, 312, 542)}, {0, 1}),
        photo("person.jpg", {Box::from_corners(64, 263, 204, 346), Box::from_corners(64, 263, 204, 346)}, {0, 1}),
    };
    nn::CenterNet net = nn::load_pretrained_centernet(torch::kCPU);
    const HeadTransfer t = choose_head_transfer(*net, images, 2, 448);
    ASSERT_EQ(t.start_from.size(), 2u);
    EXPECT_EQ(t.start_from[0], kDog);
    EXPECT_LT(t.loss[0], t.fresh_loss[0]);
    EXPECT_EQ(t.start_from[1], -1) << "the second dog-like label starts fresh";
    EXPECT_EQ(t.loss[1], t.fresh_loss[1]);
    EXPECT_EQ(t.to_json({"hound", "puppy"})["puppy"]["start"], "fresh");
}

TEST_F(HeadTransferTest, NoImagesMeansAFreshStart) {
    nn::CenterNet net = nn::load_pretrained_centernet(torch::kCPU);
    const HeadTransfer t = choose_head_transfer(*net, {}, 3, 448);
    EXPECT_EQ(t.start_from, (std::vector<int64_t>{-1, -1, -1}));
    EXPECT_EQ(t.to_json({"a", "b", "c"})["b"]["start"], "fresh");
}

}  // namespace
}  // namespace apiary::train
