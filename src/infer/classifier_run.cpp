#include "infer/classifier_run.h"

#include <opencv2/imgproc.hpp>

#include "nn/centernet_input.h"
#include "vision/whole_image_augment.h"

namespace apiary::infer {

torch::Tensor classifier_input(const std::vector<cv::Mat>& images, int size) {
    std::vector<torch::Tensor> inputs;
    for (const auto& bgr : images) {
        cv::Mat rgb;
        cv::cvtColor(vision::whole_image_input(bgr, size), rgb, cv::COLOR_BGR2RGB);
        inputs.push_back(torch::from_blob(rgb.data, {size, size, 3}, torch::kUInt8).permute({2, 0, 1}).clone());
    }
    return torch::stack(inputs);
}

std::vector<std::vector<double>> run_classifier(nn::ClassifierImpl& net, const std::vector<cv::Mat>& images,
                                                int input_size) {
    if (images.empty()) return {};
    torch::NoGradGuard no_grad;
    const auto input = nn::to_network_input(classifier_input(images, input_size), net.device());
    const torch::Tensor p = net.probabilities(net.forward(input)).to(torch::kCPU, torch::kFloat64).contiguous();
    std::vector<std::vector<double>> out(images.size());
    for (size_t i = 0; i < images.size(); ++i) {
        const double* row = p[int64_t(i)].data_ptr<double>();
        out[i].assign(row, row + p.size(1));
    }
    return out;
}

}  // namespace apiary::infer
