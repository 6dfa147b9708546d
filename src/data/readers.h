#pragma once
// One reader per input format. Each throws apiary::Error when the source as a whole is unusable
// and otherwise returns every record it found, with per-record problems attached to the record.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "data/import.h"
#include "data/record.h"

namespace apiary::data::detail {

RawDataset read_groundtruth(const std::filesystem::path& manifest, const ImportOptions& options);
RawDataset read_voc(const std::filesystem::path& dir);
RawDataset read_coco(const std::filesystem::path& json_file);
RawDataset read_yolo(const std::filesystem::path& dir);
RawDataset read_folder(const std::filesystem::path& dir);

// The same parsers over text already in memory, for callers holding the bytes (and the fuzzers
// under fuzz/). `file` names the input in issues and is the base for relative image paths.
RawDataset read_groundtruth_text(std::string_view text, const std::filesystem::path& file, const ImportOptions& options);
RawDataset read_coco_text(std::string_view text, const std::filesystem::path& file);
// One VOC annotation, split unassigned; `dir` is the VOC folder its image paths resolve against.
Record read_voc_annotation_text(std::string_view xml, const std::filesystem::path& file, const std::filesystem::path& dir);
// One YOLO label file's rows into `rec`; and the class names of a data.yaml.
void read_yolo_label_text(std::string_view text, const std::vector<std::string>& names, Record& rec);
std::vector<std::string> yolo_names_from_yaml(std::string_view text);

// Checks the images behind the records and applies the shared rules; see validate.cpp.
ImportReport validate(RawDataset raw, const ValidationLimits& limits);

}  // namespace apiary::data::detail
