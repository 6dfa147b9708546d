#include "infer/detector_run.h"

#include <opencv2/imgproc.hpp>

#include "infer/detection_merge.h"
#include "nn/centernet_input.h"
#include "vision/tiles.h"

namespace apiary::infer {

PreparedImage prepare_image(const cv::Mat& bgr, int size) {
    PreparedImage p;
    p.transform = nn::ImageTransform::letterbox(bgr.cols, bgr.rows, size, size);
    cv::Mat canvas(size, size, CV_8UC3, cv::Scalar::all(114));
    cv::Mat resized;
    const bool shrinking = p.transform.content_width < bgr.cols;
    cv::resize(bgr, resized, {p.transform.content_width, p.transform.content_height}, 0, 0,
               shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::cvtColor(resized, resized, cv::COLOR_BGR2RGB);
    resized.copyTo(canvas(cv::Rect(p.transform.content_x, p.transform.content_y, resized.cols, resized.rows)));
    p.rgb = torch::from_blob(canvas.data, {size, size, 3}, torch::kUInt8).permute({2, 0, 1}).clone();
    return p;
}

namespace {

// Mirror-image outputs mapped back: heatmaps flip; left and right distances swap.
nn::CenterNetOutput unflip(const nn::CenterNetOutput& o) {
    auto boxes = o.boxes.flip({3});
    return {o.heatmap.flip({3}), torch::stack({boxes.select(1, 2), boxes.select(1, 1), boxes.select(1, 0),
                                               boxes.select(1, 3)},
                                              1)};
}

std::vector<std::vector<nn::Detection>> run_views(nn::CenterNetImpl& net, const std::vector<cv::Mat>& images,
                                                  const RunOptions& options) {
    if (images.empty()) return {};
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> inputs;
    std::vector<nn::ImageTransform> transforms;
    for (const auto& img : images) {
        auto p = prepare_image(img, options.input_size);
        inputs.push_back(p.rgb);
        transforms.push_back(p.transform);
    }
    const auto batch = nn::to_network_input(torch::stack(inputs), net.device());
    nn::CenterNetOutput out = net.forward(batch);
    if (options.flip_test) {
        const auto mirrored = unflip(net.forward(batch.flip({3})));
        // Average probabilities, then return to logits, which decode expects.
        const auto p = ((torch::sigmoid(out.heatmap) + torch::sigmoid(mirrored.heatmap)) / 2).clamp(1e-6, 1 - 1e-6);
        out = {torch::log(p / (1 - p)), (out.boxes + mirrored.boxes) / 2};
    }
    nn::DecodeOptions d;
    d.top_k = options.top_k;
    d.min_score = options.min_score;
    return nn::decode_centernet(out, transforms, d);
}

// The whole image, then its tiles a few at a time (a 10 x 10 grid in one batch would hold
// gigabytes of activations), merged (detection_merge.h).
std::vector<nn::Detection> run_tiled(nn::CenterNetImpl& net, const cv::Mat& image, const RunOptions& options) {
    constexpr size_t kTilesPerBatch = 4;
    const auto tiles = vision::tile_grid(image.cols, image.rows, options.tile_fraction);
    std::vector<nn::Detection> whole = run_views(net, {image}, options).at(0);
    std::vector<std::vector<nn::Detection>> per_tile;
    for (size_t i = 0; i < tiles.size(); i += kTilesPerBatch) {
        std::vector<cv::Mat> views;
        for (size_t j = i; j < std::min(tiles.size(), i + kTilesPerBatch); ++j) views.push_back(image(tiles[j]));
        for (auto& found : run_views(net, views, options)) per_tile.push_back(std::move(found));
    }
    return merge_tile_views(std::move(whole), per_tile, tiles, image.cols, image.rows, size_t(options.top_k));
}

}  // namespace

std::vector<std::vector<nn::Detection>> run_detector(nn::CenterNetImpl& net, const std::vector<cv::Mat>& images,
                                                     const RunOptions& options) {
    if (options.tile_fraction <= 0) return run_views(net, images, options);
    std::vector<std::vector<nn::Detection>> out;
    for (const auto& image : images) out.push_back(run_tiled(net, image, options));
    return out;
}

}  // namespace apiary::infer
