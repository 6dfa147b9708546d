#pragma once
// Reads an image's format and size from its header bytes — no pixel decode — so validating
// tens of thousands of dataset images stays fast.
#include <cstdint>
#include <filesystem>
#include <string>

namespace apiary::vision {

enum class ImageFormat { Unknown, Jpeg, Png, Gif, Bmp, Webp, Tiff };

std::string to_string(ImageFormat f);  // "jpeg", "png", ...

struct ImageInfo {
    ImageFormat format = ImageFormat::Unknown;
    int width = 0;
    int height = 0;
    int64_t bytes = 0;      // file size
    bool complete = false;  // JPEG ends with EOI / PNG has IEND: the file was not cut short
    int exif_orientation = 1;  // 1..8 from the JPEG APP1 Exif block, 1 when absent
};

// Probes a file. Throws apiary::Error naming the path when it cannot be read or the header
// is malformed; returns format Unknown for readable files of formats it does not know.
ImageInfo probe_image(const std::filesystem::path& path);

// The same for bytes in memory (uploads).
ImageInfo probe_image_bytes(const std::string& bytes);

}  // namespace apiary::vision
