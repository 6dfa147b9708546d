// Inference benchmark: DetectCustomLabels latency at batch 1, decode included, on a trained
// model version. Prints ms per image (mean, p50, p99) and images/s.
//   build/bench/infer_bench --model DIR --images DIR [--threads 2] [--repeat 3] [--flip 0|1]
#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "core/error.h"
#include "core/files.h"
#include "core/json.h"
#include "infer/predictor.h"
#include "vision/decode.h"

namespace fs = std::filesystem;
using namespace apiary;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    fs::path model, images;
    int threads = 2, repeat = 3;
    infer::DetectOptions options{0.0, 0, std::nullopt};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
        if (!std::strcmp(argv[i], "--images")) images = argv[i + 1];
        if (!std::strcmp(argv[i], "--threads")) threads = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--repeat")) repeat = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--flip")) options.flip_test = std::stoi(argv[i + 1]) != 0;
    }
    if (model.empty() || images.empty()) {
        std::cerr << "usage: infer_bench --model DIR --images DIR [--threads N] [--repeat N]\n";
        return 2;
    }
    auto predictor = infer::Predictor::load(model, "cpu", threads);
    std::vector<std::string> files;
    for (const auto& f : fs::directory_iterator(images))
        if (f.path().extension() == ".jpg" || f.path().extension() == ".png") files.push_back(read_file(f.path()));
    if (files.empty()) return 2;
    // Warm-up: oneDNN builds its kernels for the input size on the first call.
    predictor.detect(vision::decode_image_bytes(files[0], "warm-up"));
    std::vector<double> ms;
    const auto start = Clock::now();
    for (int r = 0; r < repeat; ++r)
        for (const auto& bytes : files) {
            const auto t = Clock::now();
            try {
                predictor.detect(vision::decode_image_bytes(bytes, "bench"), options);
            } catch (const Error&) {  // e.g. kangaroo's truncated 00090.jpg: refused, not timed
                continue;
            }
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        }
    const double total_s = std::chrono::duration<double>(Clock::now() - start).count();
    // The same split in two: JPEG decode alone, then detection on already-decoded images.
    std::vector<cv::Mat> decoded;
    auto t0 = Clock::now();
    for (const auto& bytes : files) {
        try {
            decoded.push_back(vision::decode_image_bytes(bytes, "bench"));
        } catch (const Error&) {
        }
    }
    const double decode_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / double(decoded.size());
    t0 = Clock::now();
    for (const auto& img : decoded) predictor.detect(img, options);
    const double detect_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / double(decoded.size());
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double v : ms) mean += v / double(ms.size());
    Json out = {{"images", ms.size()},
                {"threads", threads},
                {"input_size", predictor.manifest().input_size},
                {"flip_test", options.flip_test.value_or(predictor.manifest().training.value("flip_test", false))},
                {"ms_mean", mean},
                {"ms_p50", ms[ms.size() / 2]},
                {"ms_p99", ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]},
                {"images_per_s", double(ms.size()) / total_s},
                {"decode_ms_mean", decode_ms},
                {"detect_without_decode_ms_mean", detect_ms}};
    std::cout << out.dump(2) << "\n";
}
