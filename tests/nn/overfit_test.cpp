// End-to-end check that targets, loss and network fit together: the pretrained CenterNet,
// given a fresh 2-label heatmap head, learns four synthetic scenes by heart in 100 steps
// (backbone frozen) and then finds every object in them, with nothing else above 0.5.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include <chrono>
#include <iostream>

#include "core/error.h"
#include "nn/centernet_decode.h"
#include "nn/centernet_import.h"
#include "nn/centernet_input.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"
#include "nn/pretrained.h"
#include "nn/runtime.h"
#include "vision/synthetic.h"

namespace apiary::nn {
namespace {

constexpr int kSize = 256;
constexpr int kImages = 4;
constexpr int kSteps = 100;
// The backbone stays frozen: on 2 CPU cores its backward pass (depthwise convolutions) costs
// about 5× the rest of a step, and the neck and heads alone can fit four images.
constexpr double kHeadLr = 3e-3;  // the fresh classifier
constexpr double kBodyLr = 1e-3;  // neck, box head, heatmap head's depthwise layer

torch::Tensor to_rgb_tensor(const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}, torch::kUInt8).permute({2, 0, 1}).clone();
}

TEST(Overfit, PretrainedCenterNetLearnsFourScenes) {
    try {
        pretrained_model_json("centernet");
    } catch (const Error& e) {
        GTEST_SKIP() << e.what();
    }
    configure_runtime(0);
    torch::manual_seed(7);
    const auto started = std::chrono::steady_clock::now();

    const std::vector<std::string> names = {"bee", "flower"};
    std::vector<torch::Tensor> images;
    std::vector<std::vector<Box>> boxes(kImages);
    std::vector<std::vector<int64_t>> labels(kImages);
    for (int i = 0; i < kImages; ++i) {
        const auto scene = vision::synthesize_scene(kSize, kSize, uint64_t(11 + i), names, 3);
        images.push_back(to_rgb_tensor(scene.image));
        for (const auto& o : scene.objects) {
            boxes[size_t(i)].push_back(o.box);
            labels[size_t(i)].push_back(o.label == "bee" ? 0 : 1);
        }
    }
    const torch::Tensor input = to_network_input(torch::stack(images), torch::kCPU);
    const TargetBatch targets = encode_targets(boxes, labels, 2, kSize, kSize);

    CenterNet net = load_pretrained_centernet(torch::kCPU);
    net->replace_heatmap_head(2);
    net->train();
    std::vector<torch::Tensor> head, body;
    for (auto& p : net->named_parameters()) {
        if (p.key().rfind("backbone.", 0) == 0)
            p.value().set_requires_grad(false);
        else
            (p.key().rfind("heatmap_head.classifier", 0) == 0 ? head : body).push_back(p.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    // A group's own options replace the optimizer's defaults entirely: weight decay goes here.
    groups.emplace_back(body, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(kBodyLr).weight_decay(1e-4)));
    groups.emplace_back(head, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(kHeadLr).weight_decay(1e-4)));
    torch::optim::AdamW optimizer(std::move(groups), torch::optim::AdamWOptions(kBodyLr));

    double first = 0, last = 0;
    for (int step = 0; step < kSteps; ++step) {
        const LossParts loss = centernet_loss(net->forward(input), targets);
        optimizer.zero_grad();
        loss.total.backward();
        torch::nn::utils::clip_grad_norm_(net->parameters(), 10.0);
        optimizer.step();
        last = loss.total.item<double>();
        if (step == 0) first = last;
        ASSERT_TRUE(std::isfinite(last)) << "step " << step;
    }
    const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "overfit: " << kSteps << " steps, loss " << first << " → " << last << ", " << train_s << " s\n";
    EXPECT_LT(last, first / 4);

    net->eval();
    std::vector<ImageTransform> transforms(kImages, ImageTransform::stretch(kSize, kSize, kSize, kSize));
    DecodeOptions options;
    options.min_score = 0.5f;
    std::vector<std::vector<Detection>> detections;
    {
        torch::NoGradGuard no_grad;
        detections = decode_centernet(net->forward(input), transforms, options);
    }
    for (int i = 0; i < kImages; ++i) {
        const auto& truth = boxes[size_t(i)];
        const auto& dets = detections[size_t(i)];
        for (const auto& d : dets)
            std::cout << "  image " << i << ": class " << d.class_id << " score " << d.score << " box " << d.box.left
                      << "," << d.box.top << " " << d.box.width << "x" << d.box.height << "\n";
        std::vector<bool> found(truth.size(), false);
        for (const auto& d : dets) {
            // Every detection above 0.5 is one of the objects, of the right class, not yet found.
            size_t best = truth.size();
            double best_iou = 0;
            for (size_t k = 0; k < truth.size(); ++k)
                if (!found[k] && labels[size_t(i)][k] == d.class_id && iou(d.box, truth[k]) > best_iou)
                    best = k, best_iou = iou(d.box, truth[k]);
            EXPECT_GE(best_iou, 0.7) << "image " << i << ": false positive of class " << d.class_id << ", score "
                                     << d.score;
            if (best < truth.size() && best_iou >= 0.7) found[best] = true;
        }
        for (size_t k = 0; k < truth.size(); ++k)
            EXPECT_TRUE(found[k]) << "image " << i << ": missed " << names[size_t(labels[size_t(i)][k])] << " at "
                                  << truth[k].left << "," << truth[k].top << " " << truth[k].width << "x"
                                  << truth[k].height;
    }
    const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "overfit: total " << total_s << " s\n";
}

}  // namespace
}  // namespace apiary::nn
