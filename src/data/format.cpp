#include <algorithm>

#include "core/error.h"
#include "core/text.h"
#include "data/image_files.h"
#include "data/import.h"

namespace apiary::data {
namespace fs = std::filesystem;

std::string to_string(Format f) {
    switch (f) {
        case Format::Auto: return "auto";
        case Format::GroundTruth: return "groundtruth";
        case Format::Voc: return "voc";
        case Format::Coco: return "coco";
        case Format::Yolo: return "yolo";
        case Format::Folder: return "folder";
    }
    return "";
}

std::optional<Format> parse_format(const std::string& name) {
    const std::string n = ascii_lowercase(name);
    if (n == "auto") return Format::Auto;
    if (n == "groundtruth" || n == "ground-truth" || n == "manifest" || n == "sagemaker") return Format::GroundTruth;
    if (n == "voc" || n == "pascal-voc" || n == "pascalvoc") return Format::Voc;
    if (n == "coco") return Format::Coco;
    if (n == "yolo" || n == "darknet") return Format::Yolo;
    if (n == "folder" || n == "folders") return Format::Folder;
    return std::nullopt;
}

Format detect_format(const fs::path& source) {
    std::error_code ec;
    const auto status = fs::status(source, ec);
    if (ec || !fs::exists(status)) throw Error(Location{source.string()}, "dataset source does not exist");
    if (fs::is_regular_file(status)) {
        const std::string ext = source.extension().string();
        if (ext == ".manifest" || ext == ".jsonl" || ext == ".jsonlines") return Format::GroundTruth;
        if (ext == ".json") return Format::Coco;
        throw Error(Location{source.string()},
                    "unknown dataset format: expected a .manifest/.jsonl Ground Truth manifest, a COCO .json or a folder");
    }
    if (!fs::is_directory(status)) throw Error(Location{source.string()}, "dataset source is neither a file nor a folder");
    if (fs::is_directory(source / "Annotations", ec)) return Format::Voc;
    if (fs::is_directory(source / "labels", ec) && fs::is_directory(source / "images", ec)) return Format::Yolo;
    for (fs::directory_iterator it(source, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(".") && it->is_directory(ec) && !detail::list_images(it->path()).empty()) return Format::Folder;
    }
    throw Error(Location{source.string()},
                "unknown dataset format: expected Annotations/ (VOC), images/ + labels/ (YOLO) or one sub-folder of images per label");
}

}  // namespace apiary::data
