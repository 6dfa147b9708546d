#pragma once
// Small line and bar charts drawn with OpenCV, for the evaluation plots a user opens as PNG:
// axes from 0 to 1 with tenth ticks, a title, and a legend. No plotting library needed.
#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace apiary::vision {

struct ChartSeries {
    std::string name;                  // in the legend; empty: not listed
    std::vector<cv::Point2d> points;   // in axis units, 0..1
    cv::Scalar colour;
    enum class Style { Line, Bars, Dots, Dashed } style = Style::Line;
    double bar_width = 0.1;            // Bars: in axis units, centred on each x
};

struct ChartSpec {
    std::string title, x_label, y_label;
    int width = 720, height = 560;
};

cv::Mat draw_chart(const ChartSpec& spec, const std::vector<ChartSeries>& series);

}  // namespace apiary::vision
