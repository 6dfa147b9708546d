#include "vision/decode.h"

#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "core/files.h"
#include "vision/image_probe.h"

namespace apiary::vision {
namespace {

void check(const ImageInfo& info, const std::string& name, const DecodeLimits& limits) {
    if (info.format != ImageFormat::Jpeg && info.format != ImageFormat::Png)
        throw Error(Location{name}, info.format == ImageFormat::Unknown
                                        ? "not an image (expected JPEG or PNG)"
                                        : "unsupported image format " + to_string(info.format) + " (expected JPEG or PNG)");
    if (!info.complete && !limits.allow_truncated) throw Error(Location{name}, "image data is truncated");
    if (info.bytes > limits.max_bytes)
        throw Error(Location{name}, "file is " + std::to_string(info.bytes) + " bytes; the limit is " +
                                        std::to_string(limits.max_bytes));
    const std::string size = std::to_string(info.width) + "x" + std::to_string(info.height);
    if (info.width < limits.min_side || info.height < limits.min_side)
        throw Error(Location{name}, "image is " + size + " pixels; each side must be at least " +
                                        std::to_string(limits.min_side));
    if (info.width > limits.max_side || info.height > limits.max_side ||
        int64_t(info.width) * info.height > limits.max_pixels)
        throw Error(Location{name}, "image is " + size + " pixels; the limit is " + std::to_string(limits.max_side) +
                                        " per side and " + std::to_string(limits.max_pixels / 1'000'000) + " MP");
}

}  // namespace

cv::Mat decode_image_bytes(const std::string& bytes, const std::string& name, const DecodeLimits& limits) {
    check(probe_image_bytes(bytes), name, limits);
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    // IMREAD_COLOR applies the EXIF orientation unless told to ignore it.
    const int flags = limits.apply_exif_orientation ? cv::IMREAD_COLOR : cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
    cv::Mat img = cv::imdecode(raw, flags);
    if (img.empty()) throw Error(Location{name}, "image data is corrupt and cannot be decoded");
    return img;
}

cv::Mat decode_image_file(const std::filesystem::path& path, const DecodeLimits& limits) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(Location{path.string()}, "no such image file");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && static_cast<int64_t>(size) > limits.max_bytes)
        throw Error(Location{path.string()}, "file is " + std::to_string(size) + " bytes; the limit is " +
                                                 std::to_string(limits.max_bytes));
    return decode_image_bytes(read_file(path), path.string(), limits);
}

}  // namespace apiary::vision
