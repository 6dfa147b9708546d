#include "vision/tiles.h"

#include <algorithm>
#include <cmath>

namespace apiary::vision {

int tile_side(int width, int height, double fraction) {
    const int longer = std::max(width, height), shorter = std::min(width, height);
    return std::clamp(static_cast<int>(std::lround(fraction * longer)), 1, std::max(shorter, 1));
}

namespace {

// Tile origins along one axis of `length` for tiles of `side`: evenly spaced, first at 0, last
// flush with the end, steps at most (1 - overlap) of the side.
std::vector<int> origins(int length, int side) {
    if (side >= length) return {0};
    const double step = side * (1.0 - kTileOverlap);
    const int count = static_cast<int>(std::ceil((length - side) / step)) + 1;
    std::vector<int> out;
    for (int i = 0; i < count; ++i)
        out.push_back(static_cast<int>(std::lround(double(length - side) * i / (count - 1))));
    return out;
}

}  // namespace

std::vector<cv::Rect> tile_grid(int width, int height, double fraction) {
    if (fraction >= 1 || fraction <= 0 || width <= 0 || height <= 0) return {};
    const int side = tile_side(width, height, fraction);
    if (side >= width && side >= height) return {};
    std::vector<cv::Rect> out;
    for (int y : origins(height, side))
        for (int x : origins(width, side)) out.emplace_back(x, y, std::min(side, width), std::min(side, height));
    return out;
}

cv::Rect random_tile(int width, int height, double fraction, std::mt19937_64& rng) {
    if (tile_grid(width, height, fraction).empty()) return {0, 0, width, height};
    const int side = tile_side(width, height, fraction);
    // Integer positions from the raw engine: std::uniform_int_distribution differs between
    // standard libraries, and a run must be reproducible from its seed.
    const int x = static_cast<int>(rng() % uint64_t(width - side + 1));
    const int y = static_cast<int>(rng() % uint64_t(height - side + 1));
    return {x, y, side, side};
}

TileBoxes boxes_in_tile(const std::vector<Box>& boxes, const std::vector<int>& labels, const cv::Rect& tile,
                        double min_visible) {
    TileBoxes out;
    for (size_t i = 0; i < boxes.size(); ++i) {
        const Box& b = boxes[i];
        const double x0 = std::max(b.left, double(tile.x)), y0 = std::max(b.top, double(tile.y));
        const double x1 = std::min(b.right(), double(tile.x + tile.width));
        const double y1 = std::min(b.bottom(), double(tile.y + tile.height));
        if (x1 <= x0 || y1 <= y0 || b.area() <= 0) continue;
        if ((x1 - x0) * (y1 - y0) < min_visible * b.area()) continue;
        out.boxes.push_back(Box::from_corners(x0 - tile.x, y0 - tile.y, x1 - tile.x, y1 - tile.y));
        out.labels.push_back(labels[i]);
    }
    return out;
}

bool touches_inner_edge(const Box& box, const cv::Rect& tile, int width, int height, double margin) {
    return (tile.x > 0 && box.left <= tile.x + margin) || (tile.y > 0 && box.top <= tile.y + margin) ||
           (tile.x + tile.width < width && box.right() >= tile.x + tile.width - margin) ||
           (tile.y + tile.height < height && box.bottom() >= tile.y + tile.height - margin);
}

}  // namespace apiary::vision
