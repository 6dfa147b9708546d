// Folder-per-label classification: DIR/<label>/**/<image>. The label is the top-level folder name.
#include <algorithm>

#include "core/error.h"
#include "data/image_files.h"
#include "data/readers.h"

namespace apiary::data::detail {

RawDataset read_folder(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(Location{dir.string()}, "not a folder");
    RawDataset raw;
    raw.task = TaskType::Classification;
    for (const auto& image : list_images(dir)) {
        const fs::path rel = image.lexically_relative(dir);
        Record rec{image.string()};
        rec.source_ref = rel.string();
        rec.image_path = detail::normalise_path(image);
        ++raw.records;
        if (std::distance(rel.begin(), rel.end()) < 2)
            rec.reject("", "missing-label", "image is not inside a label folder (expected DIR/<label>/" + rel.string() + ")");
        else
            rec.labels.push_back(rel.begin()->string());
        raw.items.push_back(std::move(rec));
    }
    return raw;
}

}  // namespace apiary::data::detail
