#include "support/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <stdexcept>

namespace apiary::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("apiary-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(std::random_device{}()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_test_image(const fs::path& path, int width, int height, int seed) {
    cv::Mat img(height, width, CV_8UC3);
    cv::RNG rng(static_cast<uint64_t>(seed) * 7919 + 17);
    rng.fill(img, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
    for (int i = 0; i < 3; ++i) {
        cv::Point c(rng.uniform(0, width), rng.uniform(0, height));
        cv::circle(img, c, std::max(2, std::min(width, height) / 6), cv::Scalar(rng.uniform(0, 255), 40, 200), -1);
    }
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    if (!cv::imwrite(path.string(), img)) throw std::runtime_error("cannot write test image " + path.string());
}

std::optional<fs::path> shared_dataset(const std::string& name) {
    const fs::path p = fs::path(APIARY_SOURCE_DIR) / ".." / "shared" / "datasets" / name;
    if (fs::is_directory(p)) return fs::canonical(p);
    return std::nullopt;
}

void write_text(const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

CommandResult run_command(const std::string& command, bool merge_stderr) {
    CommandResult r;
    const std::string full = command + (merge_stderr ? " 2>&1" : "");
    FILE* pipe = ::popen(full.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    const int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string apiary_binary() { return APIARY_BINARY; }

size_t entries_in(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

}  // namespace apiary::test
