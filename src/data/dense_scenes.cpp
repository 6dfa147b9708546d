#include "data/dense_scenes.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.h"
#include "core/files.h"
#include "data/export.h"

namespace apiary::data {
namespace fs = std::filesystem;
namespace {

// Cells are this much wider than the largest object, so jittered neighbours never touch.
constexpr int kCellMargin = 4;

// Wax walls round cells that are open (dark), capped (pale) or filled with honey: the
// hexagons give the detector edges and blobs at the bees' own scale that are not bees.
void draw_honeycomb(cv::Mat& img, cv::RNG& rng) {
    const double r = rng.uniform(11.0, 19.0);
    const cv::Scalar wall(rng.uniform(120, 170), rng.uniform(190, 230), rng.uniform(220, 250));
    const cv::Scalar honey(rng.uniform(10, 50), rng.uniform(90, 150), rng.uniform(170, 230));
    const double dx = 1.5 * r, dy = std::sqrt(3.0) * r;
    for (int col = -1; col * dx < img.cols + r; ++col) {
        for (int row = -1; row * dy < img.rows + r; ++row) {
            const cv::Point2d c(col * dx, row * dy + (col % 2 ? dy / 2 : 0));
            std::vector<cv::Point> hex;
            for (int k = 0; k < 6; ++k)
                hex.emplace_back(cv::Point(static_cast<int>(c.x + r * std::cos(k * CV_PI / 3)),
                                           static_cast<int>(c.y + r * std::sin(k * CV_PI / 3))));
            const double kind = rng.uniform(0.0, 1.0);
            const double shade = rng.uniform(0.7, 1.15);
            const cv::Scalar fill = kind < 0.3   ? cv::Scalar(25, 45, 70) * shade   // open, dark
                                    : kind < 0.5 ? cv::Scalar(140, 200, 225) * shade  // capped
                                                 : honey * shade;
            cv::fillConvexPoly(img, hex, fill, cv::LINE_AA);
            cv::polylines(img, hex, true, wall, 2, cv::LINE_AA);
        }
    }
}

// Light falling across the frame, different in every image.
void apply_lighting(cv::Mat& img, cv::RNG& rng) {
    const double angle = rng.uniform(0.0, 2 * CV_PI);
    const double low = rng.uniform(0.6, 0.9), high = rng.uniform(1.0, 1.25);
    const double ca = std::cos(angle), sa = std::sin(angle);
    const double span = std::abs(ca) * img.cols + std::abs(sa) * img.rows;
    const double base = std::min(0.0, ca * img.cols) + std::min(0.0, sa * img.rows);
    for (int y = 0; y < img.rows; ++y) {
        auto* p = img.ptr<cv::Vec3b>(y);
        for (int x = 0; x < img.cols; ++x) {
            const double t = (ca * x + sa * y - base) / span;
            const double gain = low + (high - low) * t;
            for (int ch = 0; ch < 3; ++ch) p[x][ch] = cv::saturate_cast<uchar>(p[x][ch] * gain);
        }
    }
}

// A striped body with a dark head filling `box`, its long axis along the box's long side.
void draw_bee(cv::Mat& img, const cv::Rect& box, cv::RNG& rng) {
    const cv::Rect roi = box & cv::Rect(0, 0, img.cols, img.rows);
    cv::Mat sub = img(roi);
    const bool horizontal = box.width >= box.height;
    // In quarter pixels (cv::ellipse's shift 2), so the body's anti-aliased rim ends at the
    // box's edge pixels: the labelled box is tight, neither cutting nor padding the bee.
    constexpr int kShift = 2, kOne = 1 << kShift;
    const cv::Point c((roi.width - 1) * kOne / 2, (roi.height - 1) * kOne / 2);
    const cv::Size axes(roi.width * kOne / 2 - kOne / 2, roi.height * kOne / 2 - kOne / 2);
    const int along = (horizontal ? roi.width : roi.height) / 2, across = (horizontal ? roi.height : roi.width) / 2;
    const cv::Point axis = horizontal ? cv::Point(1, 0) : cv::Point(0, 1), normal(axis.y, axis.x);
    const cv::Point centre(roi.width / 2, roi.height / 2);

    const cv::Scalar body(rng.uniform(15, 60), rng.uniform(160, 215), rng.uniform(215, 255));
    cv::Mat alpha = cv::Mat::zeros(sub.size(), CV_8U);
    cv::ellipse(alpha, c, axes, 0, 0, 360, 255, cv::FILLED, cv::LINE_AA, kShift);
    cv::Mat bee(sub.size(), sub.type(), body);
    const int thickness = std::max(2, along / 5);
    for (int k = -1; k <= 1; ++k) {
        const cv::Point mid = centre + axis * (k * along * 2 / 5);
        cv::line(bee, mid - normal * (across + 2), mid + normal * (across + 2), cv::Scalar(20, 20, 25), thickness, cv::LINE_AA);
    }
    const int head_side = rng.uniform(0, 2) ? 1 : -1;
    cv::circle(bee, centre + axis * (head_side * along), across * 3 / 4, cv::Scalar(15, 15, 20), cv::FILLED, cv::LINE_AA);
    for (int y = 0; y < sub.rows; ++y) {
        auto* out = sub.ptr<cv::Vec3b>(y);
        const auto* in = bee.ptr<cv::Vec3b>(y);
        const auto* a = alpha.ptr<uchar>(y);
        for (int x = 0; x < sub.cols; ++x)
            for (int ch = 0; ch < 3; ++ch) out[x][ch] = static_cast<uchar>((in[x][ch] * a[x] + out[x][ch] * (255 - a[x]) + 127) / 255);
    }
}

// A round pollen pellet: bee-coloured but without stripes, so colour alone does not find bees.
void draw_pollen(cv::Mat& img, cv::Point c, int r, cv::RNG& rng) {
    cv::circle(img, c, r, cv::Scalar(rng.uniform(0, 40), rng.uniform(130, 200), rng.uniform(200, 255)), cv::FILLED, cv::LINE_AA);
}

}  // namespace

vision::SyntheticScene synthesize_dense_scene(uint64_t seed, const DenseSceneOptions& o) {
    if (o.width < 64 || o.height < 64 || o.min_size < 8 || o.max_size < o.min_size || o.max_objects < o.min_objects || o.min_objects < 0)
        throw Error("synthesize_dense_scene: invalid options");
    cv::RNG rng(seed * 0x9E3779B97F4A7C15ull + 7);
    vision::SyntheticScene scene;
    scene.image = cv::Mat(o.height, o.width, CV_8UC3, cv::Scalar(30, 90, 150));
    draw_honeycomb(scene.image, rng);
    apply_lighting(scene.image, rng);

    // The cell size varies per image so the grid's period is not a feature of "bee".
    const int min_cell = o.max_size + kCellMargin;
    const int cell = rng.uniform(min_cell, min_cell + 5);
    const int cols = o.width / cell, rows = o.height / cell;
    if (cols * rows < o.min_objects)
        throw Error("synthesize_dense_scene: a " + std::to_string(o.width) + "x" + std::to_string(o.height) + " frame holds only " +
                    std::to_string(cols * rows) + " objects of " + std::to_string(o.max_size) + " px");
    std::vector<int> cells(static_cast<size_t>(cols * rows));
    std::iota(cells.begin(), cells.end(), 0);
    for (size_t i = cells.size(); i > 1; --i) std::swap(cells[i - 1], cells[static_cast<size_t>(rng.uniform(0, static_cast<int>(i)))]);
    const int count = rng.uniform(o.min_objects, std::min(o.max_objects, cols * rows) + 1);
    // The grid is centred, so the frame's edges are as empty as its middle.
    const cv::Point origin((o.width - cols * cell) / 2, (o.height - rows * cell) / 2);

    for (size_t i = 0; i < cells.size(); ++i) {
        const cv::Point corner = origin + cv::Point(cells[i] % cols * cell, cells[i] / cols * cell);
        if (i >= static_cast<size_t>(count)) {
            if (rng.uniform(0, 8) == 0) draw_pollen(scene.image, corner + cv::Point(cell / 2, cell / 2), rng.uniform(o.min_size / 4, o.min_size / 2), rng);
            continue;
        }
        const int along = rng.uniform(o.min_size, o.max_size + 1);
        const int across = std::max(6, static_cast<int>(std::lround(along * rng.uniform(0.5, 0.65))));
        const bool horizontal = rng.uniform(0, 2) == 0;
        const cv::Size size = horizontal ? cv::Size(along, across) : cv::Size(across, along);
        const cv::Point at = corner + cv::Point(rng.uniform(1, cell - size.width), rng.uniform(1, cell - size.height));
        const cv::Rect box(at, size);
        draw_bee(scene.image, box, rng);
        scene.objects.push_back({"bee", Box{double(box.x), double(box.y), double(box.width), double(box.height)}});
    }
    // Sensor noise over bees and comb alike.
    cv::Mat noise(scene.image.size(), CV_16SC3);
    rng.fill(noise, cv::RNG::NORMAL, cv::Scalar::all(0), cv::Scalar::all(6));
    cv::Mat noisy;
    scene.image.convertTo(noisy, CV_16SC3);
    noisy += noise;
    noisy.convertTo(scene.image, CV_8UC3);
    return scene;
}

DemoDataset write_dense_dataset(const fs::path& dir, size_t count, uint64_t seed, const DenseSceneOptions& options) {
    GeneratedDatasetWriter writer(dir, "s3://apiary-demo/dense/seed-" + std::to_string(seed) + "/images",
                                  "labeling-job/apiary-dense");
    for (size_t i = 0; i < count; ++i) {
        const auto scene = synthesize_dense_scene(seed * 100003 + i, options);
        std::vector<ObjectBox> objects;
        for (const auto& obj : scene.objects) objects.push_back({obj.label, obj.box});
        writer.add(scene.image, std::move(objects), 90);
    }
    return writer.finish();
}

}  // namespace apiary::data
