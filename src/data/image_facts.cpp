#include "data/image_facts.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/error.h"
#include "core/hash.h"
#include "vision/jpeg_scan.h"

namespace apiary::data::detail {
namespace fs = std::filesystem;
namespace {

constexpr unsigned kMaxThreads = 8;

bool may_pass(const ImageFacts& f, const ValidationLimits& limits) {
    const auto& info = f.info;
    const bool supported = info.format == vision::ImageFormat::Jpeg || info.format == vision::ImageFormat::Png;
    return supported && (info.complete || f.jpeg_coverage >= kMinJpegCoverage) && info.bytes <= limits.max_file_bytes && std::min(info.width, info.height) >= limits.min_side &&
           std::max(info.width, info.height) <= limits.max_side;
}

ImageFacts examine(const fs::path& path, const ValidationLimits& limits) {
    ImageFacts f;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return f;
    if (!fs::is_regular_file(status)) {
        f.state = ImageFacts::State::NotAFile;
        return f;
    }
    try {
        f.info = vision::probe_image(path);
        f.state = ImageFacts::State::Probed;
        if (f.info.format == vision::ImageFormat::Jpeg && !f.info.complete) f.jpeg_coverage = vision::jpeg_scan_coverage_file(path);
        // Digests of images that will be rejected anyway are wasted reads.
        if (may_pass(f, limits)) f.sha256 = sha256_file_hex(path);
    } catch (const Error& e) {
        f.state = ImageFacts::State::Unreadable;
        f.error = e.reason();
    } catch (const std::exception& e) {
        f.state = ImageFacts::State::Unreadable;
        f.error = e.what();
    }
    return f;
}

}  // namespace

std::unordered_map<std::string, ImageFacts> gather_image_facts(const std::vector<fs::path>& paths,
                                                               const ValidationLimits& limits) {
    std::vector<ImageFacts> facts(paths.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next++) < paths.size();) facts[i] = examine(paths[i], limits);
    };
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    const size_t threads = std::min<size_t>({hw, kMaxThreads, (paths.size() + 15) / 16});
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();

    std::unordered_map<std::string, ImageFacts> out;
    out.reserve(paths.size());
    for (size_t i = 0; i < paths.size(); ++i) out.emplace(paths[i].string(), std::move(facts[i]));
    return out;
}

}  // namespace apiary::data::detail
