// Import benchmark: a generated N-entry detection manifest with real small JPEG files, imported
// through the same library calls as `apiary dataset import`. Prints wall times and peak RSS.
//   build/bench/import_bench [--entries 20000] [--dir /tmp/apiary-import-bench]
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>

#include "core/json.h"
#include "data/import.h"
#include "store/catalog.h"

namespace fs = std::filesystem;
using namespace apiary;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

void generate(const fs::path& dir, size_t n) {
    fs::create_directories(dir / "images");
    std::ofstream manifest(dir / "output.manifest");
    cv::Mat img(96, 128, CV_8UC3);
    cv::RNG rng(1);
    for (size_t i = 0; i < n; ++i) {
        rng.fill(img, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
        const int x = rng.uniform(0, 64), y = rng.uniform(0, 48), w = rng.uniform(8, 64), h = rng.uniform(8, 48);
        cv::rectangle(img, cv::Rect(x, y, w, h), cv::Scalar(0, 200, 255), cv::FILLED);
        const std::string name = "img" + std::to_string(i) + ".jpg";
        cv::imwrite((dir / "images" / name).string(), img);
        Json line = {{"source-ref", "s3://bench/images/" + name},
                     {"bb", {{"image_size", {{{"width", 128}, {"height", 96}, {"depth", 3}}}},
                             {"annotations", {{{"class_id", 0}, {"left", x}, {"top", y}, {"width", w}, {"height", h}}}}}},
                     {"bb-metadata", {{"objects", {{{"confidence", 1}}}},
                                      {"class-map", {{"0", "box"}}},
                                      {"type", "groundtruth/object-detection"},
                                      {"human-annotated", "yes"}}}};
        manifest << line.dump() << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    size_t entries = 20000;
    fs::path dir = fs::temp_directory_path() / "apiary-import-bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--entries")) entries = std::stoul(argv[i + 1]);
        if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    }
    fs::remove_all(dir);
    auto t0 = Clock::now();
    generate(dir / "source", entries);
    std::cout << "generated " << entries << " images + manifest in " << seconds_since(t0) << " s\n";

    t0 = Clock::now();
    data::ImportOptions options;
    options.maps.push_back(data::PathMapping::parse("s3://bench/images=" + (dir / "source" / "images").string()));
    const auto report = data::import_dataset(dir / "source" / "output.manifest", options);
    const double validate_s = seconds_since(t0);

    const auto t1 = Clock::now();
    store::Catalog catalog{store::DataDir(dir / "data")};
    const auto project = catalog.create_project("bench");
    catalog.import(project, report, std::nullopt, "");
    const double store_s = seconds_since(t1);
    const double total_s = seconds_since(t0);

    Json result = {{"entries", entries},
                   {"imported", report.entries.size()},
                   {"issues", report.issues.size()},
                   {"parse_validate_hash_s", validate_s},
                   {"store_s", store_s},
                   {"total_s", total_s},
                   {"entries_per_s", entries / total_s},
                   {"peak_rss_mb", peak_rss_mb()}};
    std::cout << result.dump(2) << "\n";
    fs::remove_all(dir);
    return report.entries.size() == entries ? 0 : 1;
}
