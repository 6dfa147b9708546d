#include "train/head_transfer.h"

#include <algorithm>
#include <random>

#include "nn/centernet_heads.h"
#include "nn/centernet_input.h"
#include "nn/centernet_loss.h"
#include "nn/centernet_targets.h"
#include "nn/coco.h"
#include "train/rgb_tensor.h"
#include "vision/augment.h"

namespace apiary::train {

Json HeadTransfer::to_json(const std::vector<std::string>& labels) const {
    Json out = Json::object();
    for (size_t i = 0; i < labels.size() && i < start_from.size(); ++i) {
        const int64_t from = start_from[i];
        out[labels[i]] = {{"start", from >= 0 ? nn::coco_class_names()[size_t(from)] : std::string("fresh")},
                          {"loss", loss[i]},
                          {"fresh_loss", fresh_loss[i]}};
    }
    return out;
}

HeadTransfer choose_head_transfer(nn::CenterNetImpl& coco_net, const std::vector<CachedImage>& images,
                                  size_t num_labels, int input_size, size_t max_images) {
    HeadTransfer result;
    result.start_from.assign(num_labels, -1);
    result.loss.assign(num_labels, 0);
    result.fresh_loss.assign(num_labels, 0);
    if (images.empty() || num_labels == 0 || max_images == 0) return result;

    const auto classes = coco_net.num_classes();
    const auto labels = int64_t(num_labels);
    torch::Tensor coco_terms = torch::zeros({labels, classes});  // focal-loss sums, label x COCO class
    torch::Tensor fresh_terms = torch::zeros({labels});
    torch::Tensor centres = torch::zeros({labels});

    const bool was_training = coco_net.is_training();
    coco_net.eval();
    torch::NoGradGuard no_grad;
    const size_t n = std::min(images.size(), max_images);
    const size_t batch = 4;
    std::mt19937_64 unused_rng(0);  // a plain letterbox draws nothing
    for (size_t first = 0; first < n; first += batch) {
        std::vector<torch::Tensor> inputs;
        std::vector<std::vector<Box>> boxes;
        std::vector<std::vector<int64_t>> box_labels;
        for (size_t k = first; k < std::min(n, first + batch); ++k) {
            const CachedImage& img = images[k * images.size() / n];
            const auto sample = vision::augment(img.image, img.boxes, img.labels, input_size, {}, unused_rng);
            inputs.push_back(rgb_tensor(sample.image));
            boxes.push_back(sample.boxes);
            box_labels.emplace_back(sample.labels.begin(), sample.labels.end());
        }
        const auto logits = coco_net.forward(nn::to_network_input(torch::stack(inputs), coco_net.device()))
                                .heatmap.to(torch::kCPU, torch::kFloat32);
        const auto targets = nn::encode_targets(boxes, box_labels, labels, input_size, input_size);
        const auto fresh = torch::full({logits.size(0), 1, logits.size(2), logits.size(3)},
                                       nn::HeatmapHeadImpl::kPriorBias);
        for (int64_t l = 0; l < labels; ++l) {
            const auto target = targets.heatmap.narrow(1, l, 1);
            coco_terms[l] += nn::focal_loss_terms(logits, target);
            fresh_terms[l] += nn::focal_loss_terms(fresh, target)[0];
            centres[l] += target.eq(1.0f).sum().to(torch::kFloat32);
        }
        result.images += inputs.size();
    }
    if (was_training) coco_net.train();

    std::vector<int64_t> best(num_labels);
    std::vector<double> best_loss(num_labels);
    for (int64_t l = 0; l < labels; ++l) {
        const double count = std::max(1.0f, centres[l].item<float>());
        best[size_t(l)] = coco_terms[l].argmin().item<int64_t>();
        best_loss[size_t(l)] = coco_terms[l][best[size_t(l)]].item<double>() / count;
        result.fresh_loss[size_t(l)] = fresh_terms[l].item<double>() / count;
        result.loss[size_t(l)] = result.fresh_loss[size_t(l)];
    }
    // A COCO class starts one label at most: the one it fits best. Two copies of one channel
    // would both fire on both labels' objects, and telling them apart is then all left to
    // training (measured on six look-alike labels, where three flowers all chose "sports ball").
    std::vector<size_t> order(num_labels);
    for (size_t l = 0; l < num_labels; ++l) order[l] = l;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return best_loss[a] < best_loss[b]; });
    std::vector<bool> taken(size_t(classes), false);
    for (const size_t l : order) {
        if (best_loss[l] >= result.fresh_loss[l] || taken[size_t(best[l])]) continue;
        taken[size_t(best[l])] = true;
        result.start_from[l] = best[l];
        result.loss[l] = best_loss[l];
    }
    return result;
}

}  // namespace apiary::train
