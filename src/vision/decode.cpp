#include "vision/decode.h"

#include <opencv2/imgcodecs.hpp>

#include "core/error.h"
#include "core/files.h"
#include "vision/image_probe.h"

namespace apiary::vision {
namespace {

[[noreturn]] void fail(DecodeFailure kind, const std::string& name, const std::string& reason) {
    throw DecodeError(kind, Location{name}, reason);
}

void check(const ImageInfo& info, const std::string& name, const DecodeLimits& limits) {
    using enum DecodeFailure;
    if (info.format != ImageFormat::Jpeg && info.format != ImageFormat::Png)
        fail(NotAnImage, name, info.format == ImageFormat::Unknown
                                        ? "not an image (expected JPEG or PNG)"
                                        : "unsupported image format " + to_string(info.format) + " (expected JPEG or PNG)");
    if (!info.complete && !limits.allow_truncated) fail(Corrupt, name, "image data is truncated");
    if (info.bytes > limits.max_bytes)
        fail(TooLarge, name, "file is " + std::to_string(info.bytes) + " bytes; the limit is " +
                                        std::to_string(limits.max_bytes));
    const std::string size = std::to_string(info.width) + "x" + std::to_string(info.height);
    if (info.width < limits.min_side || info.height < limits.min_side)
        fail(TooSmall, name, "image is " + size + " pixels; each side must be at least " +
                                        std::to_string(limits.min_side));
    if (info.width > limits.max_side || info.height > limits.max_side ||
        int64_t(info.width) * info.height > limits.max_pixels)
        fail(TooLarge, name, "image is " + size + " pixels; the limit is " + std::to_string(limits.max_side) +
                                        " per side and " + std::to_string(limits.max_pixels / 1'000'000) + " MP");
}

}  // namespace

cv::Mat decode_image_bytes(const std::string& bytes, const std::string& name, const DecodeLimits& limits) {
    ImageInfo info;
    try {
        info = probe_image_bytes(bytes);
    } catch (const DecodeError&) {
        throw;
    } catch (const Error& e) {  // a malformed header: as corrupt as bad pixel data
        fail(DecodeFailure::Corrupt, name, e.reason().empty() ? e.what() : e.reason());
    }
    check(info, name, limits);
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    // IMREAD_COLOR applies the EXIF orientation unless told to ignore it.
    const int flags = limits.apply_exif_orientation ? cv::IMREAD_COLOR : cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION;
    cv::Mat img = cv::imdecode(raw, flags);
    if (img.empty()) fail(DecodeFailure::Corrupt, name, "image data is corrupt and cannot be decoded");
    return img;
}

cv::Mat decode_image_file(const std::filesystem::path& path, const DecodeLimits& limits) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) throw Error(Location{path.string()}, "no such image file");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && static_cast<int64_t>(size) > limits.max_bytes)
        fail(DecodeFailure::TooLarge, path.string(), "file is " + std::to_string(size) + " bytes; the limit is " +
                                                 std::to_string(limits.max_bytes));
    return decode_image_bytes(read_file(path), path.string(), limits);
}

}  // namespace apiary::vision
