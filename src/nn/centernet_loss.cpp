#include "nn/centernet_loss.h"

namespace apiary::nn {
namespace F = torch::nn::functional;

torch::Tensor focal_loss_terms(const torch::Tensor& logits, const torch::Tensor& target) {
    const torch::Tensor x = logits.to(torch::kFloat32);
    const torch::Tensor y = target.to(torch::kFloat32);
    const torch::Tensor p = torch::sigmoid(x);
    const torch::Tensor log_p = F::logsigmoid(x);
    const torch::Tensor log_not_p = F::logsigmoid(-x);
    const torch::Tensor positive = y.eq(1.0f).to(torch::kFloat32);
    const torch::Tensor negative = 1.0f - positive;
    const torch::Tensor pos_loss = (1 - p).pow(2) * log_p * positive;
    const torch::Tensor neg_loss = (1 - y).pow(4) * p.pow(2) * log_not_p * negative;
    return -(pos_loss + neg_loss).sum(std::vector<int64_t>{0, 2, 3});
}

namespace {

// Penalty-reduced focal loss (CornerNet / CenterNet, alpha 2, beta 4) from logits, summed and
// divided by the number of object centres (cells whose target is exactly 1, at least 1).
torch::Tensor focal_loss(const torch::Tensor& logits, const torch::Tensor& target) {
    const torch::Tensor count = target.to(torch::kFloat32).eq(1.0f).sum().to(torch::kFloat32).clamp_min(1.0);
    return focal_loss_terms(logits, target).sum() / count;
}

// Weighted GIoU loss of the predicted distances at the cells with box_weight > 0. Predicted
// and target boxes share the cell's point, so the point cancels and only the distances (left,
// top, right, bottom) matter; predictions go through relu so every predicted box is a box.
torch::Tensor giou_loss(const torch::Tensor& pred_boxes, const torch::Tensor& target_boxes,
                        const torch::Tensor& box_weight) {
    const int64_t n = pred_boxes.size(0), h = pred_boxes.size(2), w = pred_boxes.size(3);
    const torch::Tensor weight = box_weight.to(torch::kFloat32).reshape({n * h * w});
    const torch::Tensor cells = weight.gt(0).nonzero().squeeze(1);
    if (cells.numel() == 0) return pred_boxes.sum() * 0.0;  // keeps the graph; no boxes to learn

    const auto rows = [&](const torch::Tensor& t) {  // [N, 4, h, w] → [cells, 4]
        return t.to(torch::kFloat32).permute({0, 2, 3, 1}).reshape({n * h * w, 4}).index_select(0, cells);
    };
    const torch::Tensor pred = torch::relu(rows(pred_boxes));
    const torch::Tensor target = rows(target_boxes);
    const torch::Tensor wgt = weight.index_select(0, cells);

    const auto col = [](const torch::Tensor& t, int64_t i) { return t.select(1, i); };
    const torch::Tensor pl = col(pred, 0), pt = col(pred, 1), pr = col(pred, 2), pb = col(pred, 3);
    const torch::Tensor tl = col(target, 0), tt = col(target, 1), tr = col(target, 2), tb = col(target, 3);

    const torch::Tensor pred_area = (pl + pr) * (pt + pb);
    const torch::Tensor target_area = (tl + tr) * (tt + tb);
    const torch::Tensor inter_w = (torch::min(pl, tl) + torch::min(pr, tr)).clamp_min(0);
    const torch::Tensor inter_h = (torch::min(pt, tt) + torch::min(pb, tb)).clamp_min(0);
    const torch::Tensor inter = inter_w * inter_h;
    const torch::Tensor uni = pred_area + target_area - inter;
    const torch::Tensor enclose = (torch::max(pl, tl) + torch::max(pr, tr)) * (torch::max(pt, tt) + torch::max(pb, tb));
    constexpr double eps = 1e-6;
    const torch::Tensor iou = inter / (uni + eps);
    const torch::Tensor giou = iou - (enclose - uni) / (enclose + eps);
    return ((1 - giou) * wgt).sum() / (wgt.sum() + 1e-6);
}

}  // namespace

LossParts centernet_loss(const CenterNetOutput& output, const TargetBatch& targets, const LossOptions& options) {
    TORCH_CHECK(output.heatmap.dim() == 4 && output.boxes.dim() == 4 && output.boxes.size(1) == 4,
                "centernet_loss: expected heatmap [N, C, h, w] and boxes [N, 4, h, w]");
    TORCH_CHECK(targets.heatmap.sizes() == output.heatmap.sizes(), "centernet_loss: heatmap target ",
                targets.heatmap.sizes(), " does not match the output ", output.heatmap.sizes());
    TORCH_CHECK(targets.boxes.sizes() == output.boxes.sizes(), "centernet_loss: box target ", targets.boxes.sizes(),
                " does not match the output ", output.boxes.sizes());
    const int64_t n = output.boxes.size(0), h = output.boxes.size(2), w = output.boxes.size(3);
    TORCH_CHECK(targets.box_weight.dim() == 4 && targets.box_weight.size(0) == n && targets.box_weight.size(1) == 1 &&
                    targets.box_weight.size(2) == h && targets.box_weight.size(3) == w,
                "centernet_loss: box_weight must be [N, 1, h, w], got ", targets.box_weight.sizes());
    // Targets on the output's device (a no-op when the caller already moved them).
    const torch::Device device = output.heatmap.device();
    const torch::Tensor heat = focal_loss(output.heatmap, targets.heatmap.to(device));
    const torch::Tensor box =
        giou_loss(output.boxes, targets.boxes.to(device), targets.box_weight.to(device));
    LossParts parts;
    parts.total = heat * options.heatmap_weight + box * options.box_weight;
    parts.heatmap = heat.detach();
    parts.box = box.detach();
    return parts;
}

}  // namespace apiary::nn
