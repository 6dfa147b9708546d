#pragma once
// Decoding images for training and inference: size checks before any pixel is decoded (so a
// decompression bomb is refused, not decoded), EXIF orientation applied, errors naming the file.
#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"

namespace apiary::vision {

// Why an image was refused, for callers that answer differently (the service maps TooLarge to
// ImageTooLargeException and the rest to InvalidImageFormatException).
enum class DecodeFailure { NotAnImage, Corrupt, TooSmall, TooLarge };

class DecodeError : public Error {
public:
    DecodeError(DecodeFailure kind, Location where, const std::string& reason)
        : Error(std::move(where), reason), kind_(kind) {}
    DecodeFailure kind() const { return kind_; }

private:
    DecodeFailure kind_;
};

struct DecodeLimits {
    int min_side = 64;                 // the reference service's smallest image side
    int max_side = 4096;
    int64_t max_pixels = 16'000'000;   // 16 MP
    int64_t max_bytes = 15 * 1024 * 1024;
    // Training data accepted at import with a "truncated" warning decodes as far as it goes;
    // inference requests must be whole.
    bool allow_truncated = false;
    // Dataset boxes are validated against the stored pixel grid (data/entry.h), so training and
    // evaluation decode without turning the image upright; requests to detect turn it upright.
    bool apply_exif_orientation = true;

    // For images already accepted into a dataset (training, evaluation): import validated them,
    // kept the slightly truncated ones, and their boxes are on the stored pixel grid.
    static DecodeLimits for_dataset_images() {
        DecodeLimits l;
        l.min_side = 1;
        l.allow_truncated = true;
        l.apply_exif_orientation = false;
        return l;
    }
};

// BGR 8-bit, upright (EXIF orientation applied). Throws DecodeError with the reason:
// not an image, unsupported format, truncated, too small, too large.
cv::Mat decode_image_file(const std::filesystem::path& path, const DecodeLimits& limits = {});

// The same for bytes in memory; `name` is used in messages.
cv::Mat decode_image_bytes(const std::string& bytes, const std::string& name, const DecodeLimits& limits = {});

}  // namespace apiary::vision
