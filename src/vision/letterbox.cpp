#include "vision/letterbox.h"

#include <opencv2/imgproc.hpp>

namespace apiary::vision {

cv::Mat render(const cv::Mat& image, const Placement& p, int size) {
    const cv::Mat affine = (cv::Mat_<double>(2, 3) << p.scale, 0, p.dx, 0, p.scale, p.dy);
    cv::Mat out;
    // INTER_AREA is not available to warpAffine; downscaling a lot first keeps aliasing down.
    cv::warpAffine(image, out, affine, {size, size}, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(114));
    return out;
}

Letterboxed letterbox(const cv::Mat& image, int size) {
    Letterboxed out;
    const double scale = std::min(double(size) / image.cols, double(size) / image.rows);
    const int w = std::max(1, static_cast<int>(std::lround(image.cols * scale)));
    const int h = std::max(1, static_cast<int>(std::lround(image.rows * scale)));
    const int dx = (size - w) / 2, dy = (size - h) / 2;
    out.image = cv::Mat(size, size, image.type(), cv::Scalar::all(114));
    cv::Mat resized;
    cv::resize(image, resized, {w, h}, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    resized.copyTo(out.image(cv::Rect(dx, dy, w, h)));
    out.placement = {double(w) / image.cols, double(dx), double(dy)};
    // Horizontal and vertical scales differ by rounding only; boxes use the horizontal one.
    return out;
}

}  // namespace apiary::vision
