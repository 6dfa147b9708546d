#include "nn/centernet_targets.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/error.h"

namespace apiary::nn {
namespace {

struct Object {
    Box box;
    int64_t label = 0;
};

// One image's targets, written through raw pointers into its slices of the batch tensors.
// Each object only touches the cells of its own Gaussian window (at most the grid).
class ImageEncoder {
public:
    ImageEncoder(float* heat, float* dist, float* weight, int64_t h, int64_t w, const TargetOptions& o)
        : heat_(heat), dist_(dist), weight_(weight), h_(h), w_(w), stride_(double(o.stride)), alpha_(o.gaussian_alpha) {}

    void add(const Object& obj) {
        const Box& b = obj.box;
        const double s = stride_;
        // Centre cell: floor(centre / stride), clamped to the grid.
        const double cx = b.left + b.width / 2, cy = b.top + b.height / 2;
        const int64_t x0 = std::clamp<int64_t>(int64_t(std::floor(cx / s)), 0, w_ - 1);
        const int64_t y0 = std::clamp<int64_t>(int64_t(std::floor(cy / s)), 0, h_ - 1);

        // TTFNet: radius = alpha · half the box size, in cells; sigma = diameter / 6 with
        // diameter = 2·radius + 1, so even a box smaller than a cell gets sigma 1/6.
        const double rx = alpha_ * b.width / 2 / s, ry = alpha_ * b.height / 2 / s;
        const double sx = (2 * rx + 1) / 6, sy = (2 * ry + 1) / 6;
        const int64_t wx = int64_t(std::floor(rx)), wy = int64_t(std::floor(ry));
        const int64_t xa = std::max<int64_t>(0, x0 - wx), xb = std::min<int64_t>(w_ - 1, x0 + wx);
        const int64_t ya = std::max<int64_t>(0, y0 - wy), yb = std::min<int64_t>(h_ - 1, y0 + wy);
        const int64_t ww = xb - xa + 1;

        float* heat = heat_ + obj.label * h_ * w_;
        gauss_.assign(size_t((yb - ya + 1) * ww), 0.0);
        double weight_sum = 0;
        for (int64_t y = ya; y <= yb; ++y) {
            const double dy = double(y - y0);
            for (int64_t x = xa; x <= xb; ++x) {
                const double dx = double(x - x0);
                const double g = std::exp(-(dx * dx / (2 * sx * sx) + dy * dy / (2 * sy * sy)));
                float& cell = heat[y * w_ + x];
                cell = std::max(cell, float(g));
                // Box targets: the centre cell always, plus the cells inside the radius
                // ellipse whose point (x·s, y·s) lies inside the box.
                const bool centre = x == x0 && y == y0;
                const double ex = dx / rx, ey = dy / ry;  // rx, ry > 0: empty boxes never get here
                const double px = double(x) * s, py = double(y) * s;
                const bool inside = px >= b.left && px <= b.right() && py >= b.top && py <= b.bottom();
                if (centre || (ex * ex + ey * ey <= 1.0 && inside)) {
                    gauss_[size_t((y - ya) * ww + (x - xa))] = g;
                    weight_sum += g;
                }
            }
        }
        heat[y0 * w_ + x0] = 1.0f;  // exp(0) is 1 already; made explicit for the focal loss' == 1 test

        // Weights: the Gaussian, scaled so the object's weights sum to log(area) (TTFNet), at
        // least 1 so that boxes of a few pixels still count. Objects come largest first, so a
        // smaller object overwrites the cells it shares with a larger one.
        const double total = std::max(1.0, std::log(std::max(b.area(), 1.0)));
        const int64_t plane = h_ * w_;
        for (int64_t y = ya; y <= yb; ++y) {
            for (int64_t x = xa; x <= xb; ++x) {
                const double g = gauss_[size_t((y - ya) * ww + (x - xa))];
                if (g <= 0) continue;
                const int64_t i = y * w_ + x;
                const double px = double(x) * s, py = double(y) * s;
                weight_[i] = float(g / weight_sum * total);
                dist_[0 * plane + i] = float(px - b.left);
                dist_[1 * plane + i] = float(py - b.top);
                dist_[2 * plane + i] = float(b.right() - px);
                dist_[3 * plane + i] = float(b.bottom() - py);
            }
        }
    }

private:
    float* heat_;
    float* dist_;
    float* weight_;
    int64_t h_, w_;
    double stride_, alpha_;
    std::vector<double> gauss_;
};

}  // namespace

TargetBatch encode_targets(const std::vector<std::vector<Box>>& boxes, const std::vector<std::vector<int64_t>>& labels,
                           int64_t num_classes, int64_t input_height, int64_t input_width,
                           const TargetOptions& options) {
    if (boxes.size() != labels.size())
        throw Error("encode_targets: " + std::to_string(boxes.size()) + " images of boxes but " +
                    std::to_string(labels.size()) + " of labels");
    if (num_classes <= 0) throw Error("encode_targets: need at least one class");
    if (options.stride <= 0 || input_height <= 0 || input_width <= 0)
        throw Error("encode_targets: input size and stride must be positive");
    if (!(options.gaussian_alpha > 0)) throw Error("encode_targets: gaussian_alpha must be positive");

    const auto n = static_cast<int64_t>(boxes.size());
    const int64_t h = (input_height + options.stride - 1) / options.stride;
    const int64_t w = (input_width + options.stride - 1) / options.stride;
    TargetBatch t;
    t.heatmap = torch::zeros({n, num_classes, h, w}, torch::kFloat32);
    t.boxes = torch::zeros({n, 4, h, w}, torch::kFloat32);
    t.box_weight = torch::zeros({n, 1, h, w}, torch::kFloat32);

    std::vector<Object> objects;
    for (int64_t i = 0; i < n; ++i) {
        const auto& bs = boxes[size_t(i)];
        const auto& ls = labels[size_t(i)];
        if (bs.size() != ls.size())
            throw Error("encode_targets: image " + std::to_string(i) + " has " + std::to_string(bs.size()) +
                        " boxes but " + std::to_string(ls.size()) + " labels");
        objects.clear();
        for (size_t k = 0; k < bs.size(); ++k) {
            if (ls[k] < 0 || ls[k] >= num_classes)
                throw Error("encode_targets: label " + std::to_string(ls[k]) + " of image " + std::to_string(i) +
                            " is out of range (" + std::to_string(num_classes) + " classes)");
            const Box& b = bs[k];
            // Empty or broken boxes carry no centre and no extent: nothing to learn from them.
            if (!std::isfinite(b.left) || !std::isfinite(b.top) || !(b.width > 0) || !(b.height > 0) ||
                !std::isfinite(b.width) || !std::isfinite(b.height))
                continue;
            objects.push_back({b, ls[k]});
        }
        // Largest first: smaller objects are written later and win the cells they share.
        std::stable_sort(objects.begin(), objects.end(),
                         [](const Object& a, const Object& b) { return a.box.area() > b.box.area(); });
        ImageEncoder encoder(t.heatmap[i].data_ptr<float>(), t.boxes[i].data_ptr<float>(),
                             t.box_weight[i].data_ptr<float>(), h, w, options);
        for (const auto& obj : objects) encoder.add(obj);
    }
    return t;
}

}  // namespace apiary::nn
