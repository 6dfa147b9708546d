#include "train/version_comparison.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "core/base64.h"
#include "core/error.h"
#include "core/text.h"
#include "train/outcome_picture.h"

namespace apiary::train {

namespace {

using Counts = std::map<std::string, std::tuple<int, int, int>>;  // label → TP, FP, FN

Counts counts_of(const std::vector<eval::JudgedBox>& boxes) {
    Counts c;
    for (const auto& b : boxes) {
        auto& [tp, fp, fn] = c[b.label];
        (b.outcome == eval::Outcome::TruePositive ? tp : b.outcome == eval::Outcome::FalsePositive ? fp : fn)++;
    }
    return c;
}

int wrong(const std::vector<eval::JudgedBox>& boxes) {
    return static_cast<int>(std::count_if(boxes.begin(), boxes.end(),
                                          [](const auto& b) { return b.outcome != eval::Outcome::TruePositive; }));
}

std::string number(double v, const char* format = "%.3f") {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, format, v);
    return buffer;
}

const Json* label_of(const Json& evaluation, const std::string& label) {
    for (const auto& l : evaluation.at("labels"))
        if (l.at("label") == label) return &l;
    return nullptr;
}

Json boxes_json(const std::vector<eval::JudgedBox>& boxes) {
    Json out = Json::array();
    for (const auto& b : boxes)
        out.push_back({{"Name", b.label},
                       {"Outcome", outcome_code(b.outcome)},
                       {"Confidence", 100 * b.confidence},
                       {"Box", {b.box.left, b.box.top, b.box.width, b.box.height}}});
    return out;
}

// Both versions' PR curves for one label in one SVG (recall across, precision up).
std::string pr_svg(const Json* a, const Json* b) {
    const int w = 320, h = 240, m = 36;
    std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(w) + "' height='" +
                      std::to_string(h) + "'><rect x='" + std::to_string(m) + "' y='8' width='" + std::to_string(w - m - 8) +
                      "' height='" + std::to_string(h - m - 8) + "' fill='none' stroke='#bbb'/>";
    const auto line = [&](const Json* label, const char* colour) {
        if (!label || !label->contains("pr_curve")) return;
        std::string points;
        for (const auto& p : label->at("pr_curve").at("points")) {
            const double x = m + p[2].get<double>() * (w - m - 8), y = 8 + (1 - p[1].get<double>()) * (h - m - 8);
            points += number(x, "%.1f") + "," + number(y, "%.1f") + " ";
        }
        svg += "<polyline fill='none' stroke-width='2' stroke='" + std::string(colour) + "' points='" + points + "'/>";
    };
    line(a, "#1f77b4");
    line(b, "#d62728");
    svg += "<text x='" + std::to_string(w / 2) + "' y='" + std::to_string(h - 6) + "' font-size='11' text-anchor='middle'>recall</text>";
    svg += "<text x='10' y='" + std::to_string(h / 2) + "' font-size='11' transform='rotate(-90 10 " + std::to_string(h / 2) +
           ")' text-anchor='middle'>precision</text></svg>";
    return svg;
}

std::string jpeg_data_uri(const cv::Mat& picture) {
    cv::Mat small = picture;
    const double scale = std::min(1.0, 480.0 / std::max(picture.cols, picture.rows));
    if (scale < 1) cv::resize(picture, small, cv::Size(), scale, scale, cv::INTER_AREA);
    std::vector<uchar> jpeg;
    cv::imencode(".jpg", small, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80});
    return "data:image/jpeg;base64," + base64_encode(std::string(jpeg.begin(), jpeg.end()));
}

}  // namespace

VersionComparison compare_versions(store::Catalog& catalog, const std::string& project, const std::string& version_a,
                                   const std::string& version_b) {
    VersionComparison c{load_stored_evaluation(catalog, project, version_a),
                        load_stored_evaluation(catalog, project, version_b), {}};
    std::set<std::string> images_a, images_b;
    for (const auto& i : c.a.predictions.images) images_a.insert(i.image);
    for (const auto& i : c.b.predictions.images) images_b.insert(i.image);
    if (images_a != images_b)
        throw Error(c.a.version.name + " and " + c.b.version.name +
                    " were evaluated on different test images (the test dataset changed between them); "
                    "evaluate both again with `apiary evaluate` to compare them");
    std::map<std::string, const eval::StoredImage*> by_name;
    for (const auto& i : c.b.predictions.images) by_name[i.image] = &i;
    for (const auto& image : c.a.predictions.images) {
        auto judged_a = eval::StoredPredictions::judge(image, c.a.thresholds, 1.0);
        auto judged_b = eval::StoredPredictions::judge(*by_name.at(image.image), c.b.thresholds, 1.0);
        if (counts_of(judged_a) == counts_of(judged_b)) continue;
        const int wa = wrong(judged_a), wb = wrong(judged_b);
        c.disagreements.push_back({image.image, std::move(judged_a), std::move(judged_b), wa, wb});
    }
    std::stable_sort(c.disagreements.begin(), c.disagreements.end(), [](const auto& x, const auto& y) {
        return std::abs(x.wrong_a - x.wrong_b) > std::abs(y.wrong_a - y.wrong_b);
    });
    return c;
}

Json VersionComparison::to_json() const {
    Json images = Json::array();
    for (const auto& d : disagreements)
        images.push_back({{"Image", d.image}, {"A", boxes_json(d.a)}, {"B", boxes_json(d.b)}});
    return {{"A", {{"ProjectVersionArn", a.version.arn}, {"Name", a.version.name}, {"Evaluation", a.evaluation}}},
            {"B", {{"ProjectVersionArn", b.version.arn}, {"Name", b.version.name}, {"Evaluation", b.evaluation}}},
            {"TestImages", a.predictions.images.size()},
            {"Disagreements", images}};
}

std::string comparison_html(store::Catalog& catalog, const VersionComparison& c, size_t max_images) {
    const std::string na = escape_markup(c.a.version.name), nb = escape_markup(c.b.version.name);
    std::string html =
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>" + escape_markup(c.a.version.project) + ": " + na +
        " vs " + nb +
        "</title><style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
        "td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}th:first-child,td:first-child{text-align:left}"
        ".a{color:#1f77b4}.b{color:#d62728}figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}"
        "figcaption{font-size:13px}</style></head><body>";
    html += "<h1>" + escape_markup(c.a.version.project) + ": <span class='a'>" + na + "</span> vs <span class='b'>" + nb +
            "</span></h1><p>" + std::to_string(c.a.predictions.images.size()) +
            " test images; each version at its own assumed thresholds.</p>";
    html += "<table><tr><th>label</th><th class='a'>F1</th><th class='a'>precision</th><th class='a'>recall</th>"
            "<th class='a'>threshold</th><th class='a'>AP50</th><th class='b'>F1</th><th class='b'>precision</th>"
            "<th class='b'>recall</th><th class='b'>threshold</th><th class='b'>AP50</th></tr>";
    std::set<std::string> labels(c.a.predictions.labels.begin(), c.a.predictions.labels.end());
    labels.insert(c.b.predictions.labels.begin(), c.b.predictions.labels.end());
    const auto cells = [](const Json* l) {
        if (!l) return std::string("<td>–</td><td>–</td><td>–</td><td>–</td><td>–</td>");
        const Json& p = l->at("assumed");
        return "<td>" + number(p.at("f1")) + "</td><td>" + number(p.at("precision")) + "</td><td>" +
               number(p.at("recall")) + "</td><td>" + number(100 * p.at("threshold").get<double>(), "%.1f%%") +
               "</td><td>" + number(l->value("ap50", 0.0)) + "</td>";
    };
    for (const auto& label : labels)
        html += "<tr><td>" + escape_markup(label) + "</td>" + cells(label_of(c.a.evaluation, label)) +
                cells(label_of(c.b.evaluation, label)) + "</tr>";
    const auto overall = [](const Json& e) {
        const Json& o = e.at("overall");
        return "<td>" + number(o.at("f1")) + "</td><td>" + number(o.at("precision")) + "</td><td>" +
               number(o.at("recall")) + "</td><td></td><td>" + number(o.value("ap50", 0.0)) + "</td>";
    };
    html += "<tr><th>overall</th>" + overall(c.a.evaluation) + overall(c.b.evaluation) + "</tr></table>";
    html += "<h2>Precision–recall</h2>";
    for (const auto& label : labels)
        html += "<figure>" + pr_svg(label_of(c.a.evaluation, label), label_of(c.b.evaluation, label)) +
                "<figcaption>" + escape_markup(label) + ": <span class='a'>" + na + "</span>, <span class='b'>" + nb +
                "</span></figcaption></figure>";
    html += "<h2>Images where they disagree (" + std::to_string(c.disagreements.size()) + ")</h2>";
    html += "<p>Green: found; red: a false detection; orange: missed.</p>";
    for (size_t i = 0; i < c.disagreements.size() && i < max_images; ++i) {
        const auto& d = c.disagreements[i];
        const auto& image_a = c.a.image(d.image);
        const auto& image_b = c.b.image(d.image);
        html += "<h3>" + escape_markup(d.image) + "</h3>";
        html += "<figure><img alt='' src='" +
                jpeg_data_uri(outcome_picture(catalog, c.a.version.project, image_a, d.a)) +
                "'><figcaption class='a'>" + na + ": " + std::to_string(d.wrong_a) + " wrong</figcaption></figure>";
        html += "<figure><img alt='' src='" +
                jpeg_data_uri(outcome_picture(catalog, c.b.version.project, image_b, d.b)) +
                "'><figcaption class='b'>" + nb + ": " + std::to_string(d.wrong_b) + " wrong</figcaption></figure>";
    }
    if (c.disagreements.size() > max_images)
        html += "<p>… and " + std::to_string(c.disagreements.size() - max_images) + " more (see --json).</p>";
    return html + "</body></html>\n";
}

}  // namespace apiary::train
