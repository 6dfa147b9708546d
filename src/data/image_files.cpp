#include "data/image_files.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/text.h"

namespace apiary::data::detail {
namespace fs = std::filesystem;

bool has_image_extension(const fs::path& p) {
    // Pictures in formats Apiary does not take are listed too, so that validation reports each
    // one (unsupported-format) instead of the folder dropping it unseen.
    static const std::array<std::string, 16> kExtensions{".jpg",  ".jpeg", ".png",  ".bmp",  ".gif", ".webp",
                                                         ".tif",  ".tiff", ".jpe",  ".heic", ".heif", ".avif",
                                                         ".jxl",  ".jp2",  ".ico",  ".svg"};
    const std::string ext = ascii_lowercase(p.extension().string());
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::vector<fs::path> list_images(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (!name.empty() && name.front() == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (has_image_extension(it->path()) && !it->is_directory(ec)) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace apiary::data::detail
