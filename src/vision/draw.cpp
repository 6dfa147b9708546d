#include "vision/draw.h"

#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <functional>

namespace apiary::vision {

cv::Scalar label_colour(const std::string& label) {
    // Golden-angle hues from the name's hash: neighbours in the palette differ strongly.
    const size_t h = std::hash<std::string>{}(label);
    cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(static_cast<double>((h % 64) * 137 % 180), 220, 255)), bgr;
    cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
    const auto c = bgr.at<cv::Vec3b>(0, 0);
    return cv::Scalar(c[0], c[1], c[2]);
}

void draw_boxes(cv::Mat& image, const std::vector<DrawnBox>& boxes) {
    const double scale = std::max(0.4, std::min(image.cols, image.rows) / 900.0);
    const int thickness = std::max(1, static_cast<int>(std::lround(2 * scale)));
    for (const auto& b : boxes) {
        const cv::Scalar colour = b.colour.value_or(label_colour(b.label));
        const cv::Point p0(static_cast<int>(b.box.left), static_cast<int>(b.box.top));
        const cv::Point p1(static_cast<int>(b.box.right()), static_cast<int>(b.box.bottom()));
        cv::rectangle(image, p0, p1, colour, thickness, cv::LINE_AA);
        char caption[160];
        if (b.caption.empty())
            std::snprintf(caption, sizeof caption, "%s %.1f%%", b.label.c_str(), b.confidence);
        else
            std::snprintf(caption, sizeof caption, "%s", b.caption.c_str());
        int baseline = 0;
        const auto size = cv::getTextSize(caption, cv::FONT_HERSHEY_SIMPLEX, 0.5 * scale, thickness, &baseline);
        // Caption above the box, or inside it when the box touches the top edge.
        const int top = p0.y - size.height - baseline - 2 >= 0 ? p0.y - size.height - baseline - 2 : p0.y;
        cv::rectangle(image, {p0.x, top}, {p0.x + size.width + 4, top + size.height + baseline + 2}, colour, cv::FILLED);
        cv::putText(image, caption, {p0.x + 2, top + size.height + 1}, cv::FONT_HERSHEY_SIMPLEX, 0.5 * scale,
                    cv::Scalar(0, 0, 0), thickness, cv::LINE_AA);
    }
}

}  // namespace apiary::vision
