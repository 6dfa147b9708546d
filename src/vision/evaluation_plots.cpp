#include "vision/evaluation_plots.h"

#include <opencv2/imgcodecs.hpp>

#include <cctype>
#include <cstdio>

#include "core/error.h"
#include "vision/chart.h"
#include "vision/draw.h"

namespace apiary::vision {
namespace fs = std::filesystem;

namespace {

const cv::Scalar kBars(230, 160, 90), kDiagonal(120, 120, 120), kDots(40, 40, 200), kMark(40, 40, 200);

void write_png(const fs::path& file, const cv::Mat& image) {
    bool ok = false;
    try {
        ok = cv::imwrite(file.string(), image);
    } catch (const cv::Exception&) {
    }
    if (!ok) throw Error(Location{file.string()}, "cannot write the plot");
}

std::string file_safe(const std::string& label) {
    std::string out;
    for (unsigned char c : label) out += std::isalnum(c) || c == '-' || c == '_' ? char(c) : '_';
    return out.empty() ? "label" : out;
}

cv::Mat reliability_chart(const Json& reliability) {
    ChartSeries bars{"accuracy of the detections", {}, kBars, ChartSeries::Style::Bars};
    ChartSeries confidence{"their mean confidence", {}, kDots, ChartSeries::Style::Dots};
    for (const auto& row : reliability.at("bins").at("rows")) {
        const double lower = row.at(0), upper = row.at(1);
        if (row.at(2).get<size_t>() == 0) continue;
        bars.bar_width = upper - lower;
        bars.points.push_back({(lower + upper) / 2, row.at(4).get<double>()});
        confidence.points.push_back({(lower + upper) / 2, row.at(3).get<double>()});
    }
    char title[160];
    std::snprintf(title, sizeof title, "Reliability: ECE %.3f over %zu detections >= %.0f%%",
                  reliability.at("ece").get<double>(), reliability.at("detections").get<size_t>(),
                  100 * reliability.at("floor").get<double>());
    const ChartSeries diagonal{"perfect calibration", {{0, 0}, {1, 1}}, kDiagonal, ChartSeries::Style::Dashed};
    return draw_chart({title, "confidence", "fraction true positive"}, {bars, confidence, diagonal});
}

cv::Mat pr_chart(const Json& label) {
    ChartSeries curve{"precision-recall", {}, label_colour(label.at("label")), ChartSeries::Style::Line};
    for (const auto& p : label.at("pr_curve").at("points")) curve.points.push_back({p.at(2), p.at(1)});
    const auto& assumed = label.at("assumed");
    const ChartSeries mark{"assumed threshold", {{assumed.at("recall"), assumed.at("precision")}}, kMark,
                           ChartSeries::Style::Dots};
    char title[200];
    std::snprintf(title, sizeof title, "%s: AP50 %.3f, F1 %.3f at threshold %.3f",
                  label.at("label").get<std::string>().c_str(), label.at("ap50").get<double>(),
                  assumed.at("f1").get<double>(), assumed.at("threshold").get<double>());
    return draw_chart({title, "recall", "precision"}, {curve, mark});
}

}  // namespace

std::vector<fs::path> write_evaluation_plots(const Json& evaluation, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir)) throw Error(Location{dir.string()}, "cannot create the plot folder");
    std::vector<fs::path> written;
    try {
        if (evaluation.contains("reliability")) {
            written.push_back(dir / "reliability.png");
            write_png(written.back(), reliability_chart(evaluation.at("reliability")));
        }
        for (const auto& label : evaluation.at("labels")) {
            written.push_back(dir / ("pr-" + file_safe(label.at("label")) + ".png"));
            write_png(written.back(), pr_chart(label));
        }
    } catch (const Json::exception& e) {
        throw Error(Location{"evaluation.json"}, std::string("cannot plot this evaluation: ") + e.what());
    }
    return written;
}

}  // namespace apiary::vision
