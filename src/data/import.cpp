#include "data/import.h"

#include <algorithm>

#include "core/error.h"
#include "data/readers.h"

namespace apiary::data {

size_t ImportReport::rejected() const {
    return static_cast<size_t>(std::count_if(issues.begin(), issues.end(), [](const Issue& i) { return !i.kept; }));
}

ImportReport import_manifest_text(std::string_view text, const std::string& origin, const ImportOptions& options) {
    return detail::validate(detail::read_groundtruth_text(text, origin, options), options.limits);
}

ImportReport import_dataset(const std::filesystem::path& source, const ImportOptions& options) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(source, ec)) throw Error(Location{source.string()}, "dataset source does not exist");
    const Format format = options.format == Format::Auto ? detect_format(source) : options.format;
    const bool wants_file = format == Format::GroundTruth || format == Format::Coco;
    if (wants_file != fs::is_regular_file(source, ec))
        throw Error(Location{source.string()}, "a " + to_string(format) + " dataset must be " + (wants_file ? "a file" : "a folder"));

    detail::RawDataset raw;
    switch (format) {
        case Format::GroundTruth: raw = detail::read_groundtruth(source, options); break;
        case Format::Voc: raw = detail::read_voc(source); break;
        case Format::Coco: raw = detail::read_coco(source); break;
        case Format::Yolo: raw = detail::read_yolo(source); break;
        case Format::Folder: raw = detail::read_folder(source); break;
        case Format::Auto: break;
    }
    return detail::validate(std::move(raw), options.limits);
}

}  // namespace apiary::data
