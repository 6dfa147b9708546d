#include "data/shape_classes.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/error.h"
#include "core/files.h"
#include "core/json.h"

namespace apiary::data {
namespace fs = std::filesystem;
namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
    return lo + (hi - lo) * (double(rng() >> 11) * (1.0 / 9007199254740992.0));
}

cv::Mat background(int size, std::mt19937_64& rng) {
    cv::Mat img(size, size, CV_8UC3, cv::Scalar::all(uniform(rng, 90, 170)));
    cv::Mat noise(size, size, CV_8UC3);
    cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(12));
    img += noise;
    return img;
}

// Draws shape `kind` (index into shape_labels()) centred at (cx, cy) with radius r.
void draw_shape(cv::Mat& img, size_t kind, double cx, double cy, double r, std::mt19937_64& rng) {
    static const cv::Scalar base[] = {{40, 40, 220}, {40, 200, 40}, {220, 60, 40}, {30, 210, 230}};  // BGR
    const cv::Scalar colour = base[kind % 4] + cv::Scalar::all(uniform(rng, -30, 30));
    const cv::Point c{static_cast<int>(cx), static_cast<int>(cy)};
    const int ir = std::max(3, int(r));
    switch (kind % 4) {
        case 0:
            cv::circle(img, c, ir, colour, cv::FILLED, cv::LINE_AA);
            break;
        case 1:
            cv::rectangle(img, {c.x - ir, c.y - ir}, {c.x + ir, c.y + ir}, colour, cv::FILLED, cv::LINE_AA);
            break;
        case 2: {
            const std::vector<cv::Point> pts = {{c.x, c.y - ir}, {c.x - ir, c.y + ir}, {c.x + ir, c.y + ir}};
            cv::fillConvexPoly(img, pts, colour, cv::LINE_AA);
            break;
        }
        default:
            cv::line(img, {c.x - ir, c.y - ir}, {c.x + ir, c.y + ir}, colour, std::max(2, ir / 3), cv::LINE_AA);
            cv::line(img, {c.x - ir, c.y + ir}, {c.x + ir, c.y - ir}, colour, std::max(2, ir / 3), cv::LINE_AA);
    }
}

void write_jpeg(const fs::path& file, const cv::Mat& img) {
    if (!cv::imwrite(file.string(), img, {cv::IMWRITE_JPEG_QUALITY, 90}))
        throw IoError(Location{file.string()}, "cannot write the generated image");
}

size_t kind_of(const std::string& label) {
    const auto& labels = shape_labels();
    const auto it = std::find(labels.begin(), labels.end(), label);
    if (it == labels.end()) throw Error(Location{"", 0, "label"}, "'" + label + "' is not a generated shape kind");
    return size_t(it - labels.begin());
}

}  // namespace

const std::vector<std::string>& shape_labels() {
    static const std::vector<std::string> labels = {"circle", "square", "triangle", "cross"};
    return labels;
}

size_t write_shape_folders(const fs::path& dir, const std::vector<std::pair<std::string, size_t>>& counts, int size,
                           uint64_t seed, const std::string& prefix) {
    std::mt19937_64 rng(seed);
    size_t written = 0;
    for (const auto& [label, count] : counts) {
        const size_t kind = kind_of(label);
        create_directories_durably(dir / label);
        for (size_t i = 0; i < count; ++i) {
            cv::Mat img = background(size, rng);
            const double r = uniform(rng, 0.18, 0.32) * size;
            draw_shape(img, kind, uniform(rng, r, size - r), uniform(rng, r, size - r), r, rng);
            char name[64];
            std::snprintf(name, sizeof name, "%s-%04zu.jpg", label.c_str(), i + 1);
            write_jpeg(dir / label / (prefix + name), img);
            ++written;
        }
    }
    return written;
}

fs::path write_shape_multilabel(const fs::path& dir, size_t count, size_t labels, int size, uint64_t seed) {
    if (labels < 1 || labels > shape_labels().size())
        throw Error(Location{"", 0, "labels"}, "between 1 and " + std::to_string(shape_labels().size()));
    std::mt19937_64 rng(seed);
    create_directories_durably(dir / "images");
    Json class_map = Json::object();
    for (size_t k = 0; k < labels; ++k) class_map[std::to_string(k)] = shape_labels()[k];
    std::string manifest;
    for (size_t i = 0; i < count; ++i) {
        std::vector<int> present;
        while (present.empty())
            for (size_t k = 0; k < labels; ++k)
                if (rng() & 1) present.push_back(int(k));
        cv::Mat img = background(size, rng);
        // One shape per quadrant-sized cell, so shapes never hide each other.
        const double cell = size / 2.0, r = uniform(rng, 0.15, 0.22) * size;
        std::vector<int> cells = {0, 1, 2, 3};
        for (size_t j = cells.size(); j > 1; --j) std::swap(cells[j - 1], cells[size_t(rng() % j)]);
        for (size_t j = 0; j < present.size(); ++j) {
            const double cx = (cells[j] % 2) * cell + uniform(rng, r, cell - r);
            const double cy = (cells[j] / 2) * cell + uniform(rng, r, cell - r);
            draw_shape(img, size_t(present[j]), cx, cy, r, rng);
        }
        char name[32];
        std::snprintf(name, sizeof name, "%04zu.jpg", i + 1);
        write_jpeg(dir / "images" / name, img);
        const Json line = {{"source-ref", std::string("images/") + name},
                           {"shapes", present},
                           {"shapes-metadata",
                            {{"class-map", class_map}, {"type", "groundtruth/image-classification-multilabel"}}}};
        manifest += line.dump() + "\n";
    }
    write_file_atomic(dir / "output.manifest", manifest);
    return dir / "output.manifest";
}

}  // namespace apiary::data
