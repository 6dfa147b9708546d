// The image header probe behind every dataset import and DetectCustomLabels upload: format,
// size, completeness and EXIF orientation from header bytes. A malformed header is refused
// with apiary::Error; a JPEG or PNG that probes fine has a positive size.
#include "core/error.h"
#include "fuzz_support.h"
#include "vision/image_probe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::vision;
    const std::string bytes(apiary::fuzz::bytes_of(data, size));
    ImageInfo info;
    try {
        info = probe_image_bytes(bytes);
    } catch (const apiary::Error&) {
        return 0;
    }
    APIARY_FUZZ_CHECK(info.bytes == static_cast<int64_t>(size));
    APIARY_FUZZ_CHECK(info.width >= 0 && info.height >= 0);  // 0 where a header gives no size
    if (info.format == ImageFormat::Jpeg || info.format == ImageFormat::Png)
        APIARY_FUZZ_CHECK(info.width > 0 && info.height > 0);
    APIARY_FUZZ_CHECK(info.exif_orientation >= 1 && info.exif_orientation <= 8);
    return 0;
}
