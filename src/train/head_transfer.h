#pragma once
// Where each new label's heatmap classifier starts. The pretrained network already detects 80
// COCO classes; a label that looks like one of them (a kangaroo like a "bear", a bee like a
// "bird") learns faster from that class's detector than from nothing. For each label, the COCO
// class whose pretrained heatmap has the lowest focal loss against the label's targets on the
// training images is chosen, if it beats the fresh head's "nothing anywhere" start; otherwise
// the label starts fresh. One COCO class starts one label at most, the label it fits best; the
// others that chose it start fresh.
#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "nn/centernet.h"
#include "train/image_cache.h"

namespace apiary::train {

struct HeadTransfer {
    std::vector<int64_t> start_from;    // per label: a COCO class index, or -1 (fresh)
    std::vector<double> loss;           // per label: the chosen start's focal loss per object (fresh: fresh_loss)
    std::vector<double> fresh_loss;     // per label: the fresh head's
    size_t images = 0;                  // training images measured

    // {"LABEL": {"start": "bear" | "fresh", "loss": x, "fresh_loss": y}, ...}
    Json to_json(const std::vector<std::string>& labels) const;
};

// `coco_net`: the pretrained 80-class network (eval mode is set and restored). At most
// `max_images` images, spread evenly over `images`, each letterboxed whole at `input_size`.
HeadTransfer choose_head_transfer(nn::CenterNetImpl& coco_net, const std::vector<CachedImage>& images,
                                  size_t num_labels, int input_size, size_t max_images = 160);

}  // namespace apiary::train
