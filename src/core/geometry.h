#pragma once
// Axis-aligned boxes in pixel coordinates, the unit every dataset format is converted to.
#include <algorithm>

namespace apiary {

struct Box {
    double left = 0, top = 0, width = 0, height = 0;

    double right() const { return left + width; }
    double bottom() const { return top + height; }
    double area() const { return std::max(0.0, width) * std::max(0.0, height); }

    static Box from_corners(double x0, double y0, double x1, double y1) { return {x0, y0, x1 - x0, y1 - y0}; }
    bool operator==(const Box&) const = default;
};

// Intersection over union; 0 when either box is empty.
inline double iou(const Box& a, const Box& b) {
    const double iw = std::min(a.right(), b.right()) - std::max(a.left, b.left);
    const double ih = std::min(a.bottom(), b.bottom()) - std::max(a.top, b.top);
    if (iw <= 0 || ih <= 0) return 0.0;
    const double inter = iw * ih;
    const double uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.0;
}

}  // namespace apiary
