#include "store/image_store.h"

#include "core/error.h"
#include "core/files.h"

namespace apiary::store {

std::string ImageStore::put(const std::filesystem::path& source, const std::string& sha256,
                            const std::string& extension) {
    if (sha256.size() < 2) throw Error(Location{source.string()}, "image has no content digest");
    const std::string key = sha256.substr(0, 2) + "/" + sha256 + "." + extension;
    const auto dest = path(key);
    if (!std::filesystem::exists(dest)) copy_file_atomic(source, dest, /*durable=*/false);
    return key;
}

void ImageStore::flush() const {
    if (std::filesystem::exists(root_)) sync_filesystem(root_);
}

}  // namespace apiary::store
