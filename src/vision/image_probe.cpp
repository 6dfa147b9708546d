#include "vision/image_probe.h"

#include <string>

#include "core/error.h"
#include "vision/byte_source.h"
#include "vision/header_parsers.h"

namespace apiary::vision {
namespace {

ImageFormat sniff(const std::string& h) {
    auto starts = [&](std::string_view magic) { return h.size() >= magic.size() && h.compare(0, magic.size(), magic) == 0; };
    if (starts("\xFF\xD8\xFF")) return ImageFormat::Jpeg;
    if (starts("\x89PNG\r\n\x1A\n")) return ImageFormat::Png;
    if (starts("GIF87a") || starts("GIF89a")) return ImageFormat::Gif;
    if (starts("BM")) return ImageFormat::Bmp;
    if (starts("RIFF") && h.size() >= 12 && h.compare(8, 4, "WEBP") == 0) return ImageFormat::Webp;
    if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) return ImageFormat::Tiff;
    return ImageFormat::Unknown;
}

ImageInfo probe(const ByteSource& src) {
    ImageInfo info;
    info.bytes = src.size();
    info.format = sniff(src.read(0, 12));
    switch (info.format) {
        case ImageFormat::Jpeg: detail::read_jpeg_header(src, info); break;
        case ImageFormat::Png: detail::read_png_header(src, info); break;
        case ImageFormat::Unknown: break;
        default: detail::read_other_header(src, info); break;
    }
    return info;
}

}  // namespace

std::string to_string(ImageFormat f) {
    switch (f) {
        case ImageFormat::Jpeg: return "jpeg";
        case ImageFormat::Png: return "png";
        case ImageFormat::Gif: return "gif";
        case ImageFormat::Bmp: return "bmp";
        case ImageFormat::Webp: return "webp";
        case ImageFormat::Tiff: return "tiff";
        case ImageFormat::Unknown: break;
    }
    return "unknown";
}

ImageInfo probe_image(const std::filesystem::path& path) {
    const FileSource src(path);
    try {
        return probe(src);
    } catch (const Error& e) {
        throw Error(Location{path.string()}, e.reason());
    }
}

ImageInfo probe_image_bytes(const std::string& bytes) { return probe(MemorySource(bytes)); }

}  // namespace apiary::vision
