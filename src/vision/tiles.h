#pragma once
// Slicing a large image into overlapping tiles (as SAHI does) so that objects too small for the
// network's input at whole-image scale are seen at a scale it can find them: the trainer crops
// one random tile per sample, inference runs every tile of the grid beside the whole image.
// A tile's side is a fraction of the image's longer side.
#include <opencv2/core.hpp>

#include <random>
#include <vector>

#include "core/geometry.h"

namespace apiary::vision {

constexpr double kTileOverlap = 0.25;  // share of a tile's side its neighbours also cover

// The side, in pixels, of a tile covering `fraction` of the longer side of width x height,
// never more than the shorter side (a tile is square and lies inside the image).
int tile_side(int width, int height, double fraction);

// Square tiles of tile_side() covering the image, neighbours overlapping by at least
// kTileOverlap of the side, the first and last of each row and column flush with the image's
// edges. Empty when fraction >= 1 or one tile would already span the whole image.
std::vector<cv::Rect> tile_grid(int width, int height, double fraction);

// A tile of tile_side() at a uniformly random position inside the image (the whole image when
// tile_grid() would be empty).
cv::Rect random_tile(int width, int height, double fraction, std::mt19937_64& rng);

struct TileBoxes {
    std::vector<Box> boxes;   // in the tile's pixels, clipped to it
    std::vector<int> labels;  // one per box
};

// The boxes a tile shows: each clipped to the tile and kept when at least `min_visible` of
// its area lies inside, so an object cut to a sliver does not teach the network a fragment.
TileBoxes boxes_in_tile(const std::vector<Box>& boxes, const std::vector<int>& labels, const cv::Rect& tile,
                        double min_visible = 0.5);

// Whether a box found in `tile` (in image pixels) touches one of the tile's edges that lies
// inside the image: such a box may be a cut object, which the neighbouring tile, overlapping by
// kTileOverlap, sees whole.
bool touches_inner_edge(const Box& box, const cv::Rect& tile, int width, int height, double margin = 2.0);

}  // namespace apiary::vision
