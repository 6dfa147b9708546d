// The linear probe fits the classifier's head on frozen features: on two labels a glance
// tells apart, the probed head separates them and the backbone is left as it was.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "nn/centernet_input.h"
#include "nn/pretrained.h"
#include "train/classifier_loss.h"
#include "train/linear_probe.h"
#include "train/rgb_tensor.h"
#include "vision/whole_image_augment.h"

namespace apiary::train {
namespace {

// Label 0: a warm disc on a light ground; label 1: a dark ground with cool stripes.
LabelledImage picture(int label, int i) {
    LabelledImage img;
    img.source_ref = "p" + std::to_string(label) + "-" + std::to_string(i);
    img.width = img.height = 96;
    img.labels = {label};
    if (label == 0) {
        img.image = cv::Mat(96, 96, CV_8UC3, cv::Scalar(200 + i, 210, 220));
        cv::circle(img.image, {30 + 3 * i, 48}, 20, cv::Scalar(40, 80, 230), cv::FILLED);
    } else {
        img.image = cv::Mat(96, 96, CV_8UC3, cv::Scalar(40, 30 + i, 20));
        for (int y = i % 8; y < 96; y += 12) cv::line(img.image, {0, y}, {95, y}, cv::Scalar(230, 160, 40), 3);
    }
    return img;
}

TEST(LinearProbe, FitsTheHeadOnFrozenFeatures) {
    try {
        nn::pretrained_model_json("centernet");
    } catch (const Error&) {
        GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
    }
    torch::manual_seed(1);
    std::vector<LabelledImage> images;
    for (int i = 0; i < 8; ++i) images.push_back(picture(0, i)), images.push_back(picture(1, i));
    nn::Classifier net = nn::load_pretrained_classifier(2, false, torch::kCPU);
    const torch::Tensor stem_before = net->backbone->stem->weight.clone();
    const torch::Tensor weights = torch::ones({2});

    const auto loss_of = [&] {
        torch::NoGradGuard no_grad;
        net->eval();
        std::vector<torch::Tensor> inputs;
        std::vector<const LabelledImage*> batch;
        for (const auto& img : images) {
            inputs.push_back(rgb_tensor(vision::whole_image_input(img.image, 96)));
            batch.push_back(&img);
        }
        const auto logits = net->forward(nn::to_network_input(torch::stack(inputs), torch::kCPU));
        int right = 0;
        for (size_t i = 0; i < images.size(); ++i) right += logits[int64_t(i)].argmax().item<int>() == images[i].labels[0];
        return std::make_pair(classifier_loss(logits, batch, weights, false).item<double>(), right);
    };
    const auto [fresh_loss, fresh_right] = loss_of();
    const LinearProbe probe = fit_linear_probe(*net, images, 96, weights);
    const auto [probed_loss, probed_right] = loss_of();

    EXPECT_EQ(probe.samples, 2 * images.size()) << "each picture whole and mirrored";
    EXPECT_LT(probed_loss, 0.5 * std::min(fresh_loss, std::log(2.0))) << "fresh: " << fresh_loss;
    EXPECT_EQ(probed_right, int(images.size())) << "fresh: " << fresh_right;
    EXPECT_TRUE(torch::equal(net->backbone->stem->weight, stem_before)) << "the backbone is frozen";
}

}  // namespace
}  // namespace apiary::train
