#include "vision/letterbox.h"

#include <opencv2/imgproc.hpp>

namespace apiary::vision {

cv::Mat render(const cv::Mat& image, const Placement& p, int size) {
    const cv::Mat affine = (cv::Mat_<double>(2, 3) << p.scale, 0, p.dx, 0, p.scale, p.dy);
    cv::Mat out;
    // INTER_AREA is not available to warpAffine; train/image_cache has already shrunk images to
    // about the input size, so bilinear sampling does not alias much.
    cv::warpAffine(image, out, affine, {size, size}, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(114));
    return out;
}

}  // namespace apiary::vision
