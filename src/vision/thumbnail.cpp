#include "vision/thumbnail.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "vision/decode.h"
#include "vision/image_probe.h"

namespace apiary::vision {

cv::Mat upright(const cv::Mat& image, int orientation) {
    cv::Mat out;
    switch (orientation) {
        case 2: cv::flip(image, out, 1); break;
        case 3: cv::rotate(image, out, cv::ROTATE_180); break;
        case 4: cv::flip(image, out, 0); break;
        case 5: cv::transpose(image, out); break;
        case 6: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
        case 7: cv::transpose(image, out), cv::flip(out, out, -1); break;
        case 8: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: out = image;
    }
    return out;
}

std::string make_thumbnail(const std::filesystem::path& file, const std::vector<DrawnBox>& boxes, int size) {
    cv::Mat image = decode_image_file(file, DecodeLimits::for_dataset_images());
    const double scale = std::min(1.0, double(size) / std::max(image.cols, image.rows));
    cv::Mat small;
    cv::resize(image, small, cv::Size(std::max(1, int(std::lround(image.cols * scale))),
                                      std::max(1, int(std::lround(image.rows * scale)))),
               0, 0, cv::INTER_AREA);
    std::vector<DrawnBox> scaled = boxes;
    for (auto& b : scaled) {
        b.box = {b.box.left * scale, b.box.top * scale, b.box.width * scale, b.box.height * scale};
        if (b.caption.empty()) b.caption = b.label;
    }
    draw_boxes(small, scaled);
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", upright(small, probe_image(file).exif_orientation), jpeg, {cv::IMWRITE_JPEG_QUALITY, 82});
    return {jpeg.begin(), jpeg.end()};
}

}  // namespace apiary::vision
