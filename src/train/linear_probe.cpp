#include "train/linear_probe.h"

#include <opencv2/core.hpp>

#include "nn/centernet_input.h"
#include "train/classifier_loss.h"
#include "train/rgb_tensor.h"
#include "vision/whole_image_augment.h"

namespace apiary::train {

LinearProbe fit_linear_probe(nn::ClassifierImpl& net, const std::vector<LabelledImage>& images, int input_size,
                             const torch::Tensor& class_weights, int steps, double lr) {
    LinearProbe probe;
    if (images.empty() || steps <= 0) return probe;
    const bool was_training = net.is_training();

    std::vector<torch::Tensor> rows;
    std::vector<const LabelledImage*> owners;
    net.eval();
    {
        torch::NoGradGuard no_grad;
        const size_t batch = 16;
        for (size_t i = 0; i < images.size(); i += batch) {
            std::vector<torch::Tensor> inputs;
            for (size_t j = i; j < std::min(images.size(), i + batch); ++j) {
                const cv::Mat whole = vision::whole_image_input(images[j].image, input_size);
                cv::Mat mirrored;
                cv::flip(whole, mirrored, 1);
                inputs.push_back(rgb_tensor(whole));
                inputs.push_back(rgb_tensor(mirrored));
                owners.push_back(&images[j]);
                owners.push_back(&images[j]);
            }
            rows.push_back(net.features(nn::to_network_input(torch::stack(inputs), net.device())));
        }
    }
    const torch::Tensor features = torch::cat(rows);
    probe.samples = size_t(features.size(0));

    std::vector<torch::Tensor> params;
    for (auto& p : net.norm->parameters()) params.push_back(p);
    for (auto& p : net.head->parameters()) params.push_back(p);
    torch::optim::AdamW optimiser(params, torch::optim::AdamWOptions(lr).weight_decay(1e-4));
    // The same rows every step: the targets are built once.
    const torch::Tensor targets = classifier_targets(owners, net.num_labels(), net.multi_label()).to(features.device());
    net.train();  // dropout on: the probe's head meets it again in fine-tuning
    for (int s = 0; s < steps; ++s) {
        const auto loss = classifier_loss(net.classify(features), targets, class_weights, net.multi_label());
        optimiser.zero_grad();
        loss.backward();
        optimiser.step();
        probe.loss = loss.item<double>();
    }
    if (!was_training) net.eval();
    return probe;
}

}  // namespace apiary::train
