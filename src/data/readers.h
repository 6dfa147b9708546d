#pragma once
// One reader per input format. Each throws apiary::Error when the source as a whole is unusable
// and otherwise returns every record it found, with per-record problems attached to the record.
#include <filesystem>
#include <vector>

#include "data/import.h"
#include "data/record.h"

namespace apiary::data::detail {

RawDataset read_groundtruth(const std::filesystem::path& manifest, const ImportOptions& options);
RawDataset read_voc(const std::filesystem::path& dir);
RawDataset read_coco(const std::filesystem::path& json_file);
RawDataset read_yolo(const std::filesystem::path& dir);
RawDataset read_folder(const std::filesystem::path& dir);

// Checks the images behind the records and applies the shared rules; see validate.cpp.
ImportReport validate(RawDataset raw, const ValidationLimits& limits);

}  // namespace apiary::data::detail
