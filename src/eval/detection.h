#pragma once
// What evaluation compares: a model's scored boxes against the labelled boxes of one image.
#include <string>
#include <vector>

#include "core/geometry.h"

namespace apiary::eval {

struct Detection {
    std::string label;
    Box box;       // pixels
    double score;  // confidence, 0..1
};

struct TruthBox {
    std::string label;
    Box box;
};

struct ImageCase {
    std::string image;  // an identifier shown in per-image results (source-ref or file)
    std::vector<TruthBox> truth;
    std::vector<Detection> detections;
};

}  // namespace apiary::eval
