#pragma once
// What validation needs to know about each image file, gathered up front and in parallel:
// header probes and content digests dominate import time for large datasets.
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "data/import.h"
#include "vision/image_probe.h"

namespace apiary::data::detail {

// A JPEG that lacks its end marker but holds at least this share of its MCUs is imported (with a
// kept issue): decoders fill the few missing blocks. The kangaroo sample set has such a file,
// 3 of 925 MCUs short; a file cut anywhere near its middle stays rejected.
constexpr double kMinJpegCoverage = 0.99;

struct ImageFacts {
    enum class State { Missing, NotAFile, Unreadable, Probed };
    State state = State::Missing;
    std::string error;     // why an existing file could not be read (Unreadable)
    vision::ImageInfo info;
    double jpeg_coverage = 1.0;  // for JPEGs without an end marker: vision::jpeg_scan_coverage
    std::string sha256;    // only computed for images that can pass the image checks
};

// Facts for each distinct path, keyed by path.string().
std::unordered_map<std::string, ImageFacts> gather_image_facts(const std::vector<std::filesystem::path>& paths,
                                                               const ValidationLimits& limits);

}  // namespace apiary::data::detail
