#include "vision/draw_labels.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "vision/draw.h"

namespace apiary::vision {

void draw_image_labels(cv::Mat& image, const std::vector<std::pair<std::string, double>>& labels) {
    const double scale = std::max(0.5, std::min(image.cols, image.rows) / 600.0);
    const int thickness = std::max(1, static_cast<int>(std::lround(1.5 * scale)));
    int y = 0;
    for (const auto& [label, confidence] : labels) {
        char caption[160];
        std::snprintf(caption, sizeof caption, "%s %.1f%%", label.c_str(), confidence);
        int baseline = 0;
        const auto size = cv::getTextSize(caption, cv::FONT_HERSHEY_SIMPLEX, 0.6 * scale, thickness, &baseline);
        const int height = size.height + baseline + 6;
        if (y + height > image.rows) break;  // no room left for a whole caption
        cv::rectangle(image, {0, y}, {size.width + 8, y + height}, label_colour(label), cv::FILLED);
        cv::putText(image, caption, {4, y + size.height + 3}, cv::FONT_HERSHEY_SIMPLEX, 0.6 * scale,
                    cv::Scalar(0, 0, 0), thickness, cv::LINE_AA);
        y += height;
    }
}

}  // namespace apiary::vision
