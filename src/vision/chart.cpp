#include "vision/chart.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace apiary::vision {
namespace {

const cv::Scalar kInk(40, 40, 40), kGrid(225, 225, 225), kWhite(255, 255, 255);
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

struct Plot {
    cv::Rect area;
    cv::Point at(double x, double y) const {
        x = std::clamp(x, 0.0, 1.0), y = std::clamp(y, 0.0, 1.0);
        return {area.x + static_cast<int>(x * area.width), area.y + area.height - static_cast<int>(y * area.height)};
    }
};

void text(cv::Mat& m, const std::string& s, cv::Point at, double scale, bool centred = false) {
    int baseline = 0;
    const auto size = cv::getTextSize(s, kFont, scale, 1, &baseline);
    if (centred) at.x -= size.width / 2;
    cv::putText(m, s, at, kFont, scale, kInk, 1, cv::LINE_AA);
}

void axes(cv::Mat& m, const Plot& p, const ChartSpec& spec) {
    for (int k = 0; k <= 10; ++k) {
        const double v = k / 10.0;
        cv::line(m, p.at(v, 0), p.at(v, 1), kGrid, 1);
        cv::line(m, p.at(0, v), p.at(1, v), kGrid, 1);
        char label[8];
        std::snprintf(label, sizeof label, "%.1f", v);
        text(m, label, p.at(v, 0) + cv::Point(0, 18), 0.4, true);
        text(m, label, p.at(0, v) + cv::Point(-30, 4), 0.4);
    }
    cv::rectangle(m, p.area, kInk, 1);
    text(m, spec.title, {m.cols / 2, 28}, 0.65, true);
    text(m, spec.x_label, {p.area.x + p.area.width / 2, p.area.y + p.area.height + 42}, 0.5, true);
    // The y label reads bottom to top: drawn horizontally, then rotated into place.
    int baseline = 0;
    const auto size = cv::getTextSize(spec.y_label, kFont, 0.5, 1, &baseline);
    cv::Mat strip(size.height + baseline + 4, size.width + 4, CV_8UC3, kWhite);
    cv::putText(strip, spec.y_label, {2, size.height + 2}, kFont, 0.5, kInk, 1, cv::LINE_AA);
    cv::rotate(strip, strip, cv::ROTATE_90_COUNTERCLOCKWISE);
    const int y = std::max(0, p.area.y + p.area.height / 2 - strip.rows / 2);
    if (y + strip.rows <= m.rows && 8 + strip.cols <= m.cols) strip.copyTo(m(cv::Rect(8, y, strip.cols, strip.rows)));
}

void dashed(cv::Mat& m, cv::Point a, cv::Point b, const cv::Scalar& colour) {
    const double length = cv::norm(b - a);
    const int pieces = std::max(1, static_cast<int>(length / 8));
    for (int i = 0; i < pieces; i += 2) {
        const cv::Point2d from = a + (b - a) * (double(i) / pieces), to = a + (b - a) * (double(i + 1) / pieces);
        cv::line(m, from, to, colour, 1, cv::LINE_AA);
    }
}

}  // namespace

cv::Mat draw_chart(const ChartSpec& spec, const std::vector<ChartSeries>& series) {
    cv::Mat m(spec.height, spec.width, CV_8UC3, kWhite);
    const Plot p{cv::Rect(70, 72, spec.width - 100, spec.height - 142)};
    axes(m, p, spec);
    for (const auto& s : series) {
        for (size_t i = 0; i < s.points.size(); ++i) {
            const auto& pt = s.points[i];
            switch (s.style) {
                case ChartSeries::Style::Bars:
                    cv::rectangle(m, p.at(pt.x - s.bar_width / 2, pt.y), p.at(pt.x + s.bar_width / 2, 0), s.colour,
                                  cv::FILLED);
                    cv::rectangle(m, p.at(pt.x - s.bar_width / 2, pt.y), p.at(pt.x + s.bar_width / 2, 0), kInk, 1);
                    break;
                case ChartSeries::Style::Dots: cv::circle(m, p.at(pt.x, pt.y), 4, s.colour, cv::FILLED, cv::LINE_AA); break;
                case ChartSeries::Style::Line:
                    if (i > 0) cv::line(m, p.at(s.points[i - 1].x, s.points[i - 1].y), p.at(pt.x, pt.y), s.colour, 2, cv::LINE_AA);
                    break;
                case ChartSeries::Style::Dashed:
                    if (i > 0) dashed(m, p.at(s.points[i - 1].x, s.points[i - 1].y), p.at(pt.x, pt.y), s.colour);
                    break;
            }
        }
    }
    // The legend in one row between the title and the plot, where no data can hide it.
    int x = p.area.x;
    for (const auto& s : series) {
        if (s.name.empty()) continue;
        const cv::Point at(x, 56);
        cv::rectangle(m, at + cv::Point(0, -10), at + cv::Point(14, 2), s.colour, cv::FILLED);
        cv::rectangle(m, at + cv::Point(0, -10), at + cv::Point(14, 2), kInk, 1);
        text(m, s.name, at + cv::Point(20, 0), 0.45);
        int baseline = 0;
        x += 20 + cv::getTextSize(s.name, kFont, 0.45, 1, &baseline).width + 24;
    }
    return m;
}

}  // namespace apiary::vision
