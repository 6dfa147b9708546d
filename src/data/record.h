#pragma once
// What a format reader hands to validation: one record per image, as the input described it,
// before anything about the image file itself has been checked. Readers only parse; every rule
// that applies to all formats (image checks, box checks, duplicates) lives in validate.cpp.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/geometry.h"
#include "data/entry.h"

namespace apiary::data::detail {

struct SourceBox {
    std::string label;
    Box box;            // pixels, or fractions of the image size when the record is `normalised`
    std::string field;  // the box itself, e.g. "annotations[1]"
    std::array<std::string, 4> edge_fields;  // where the left, top, right and bottom edges come from
    int line = 0;       // overrides the record's line (YOLO label rows)
};

struct Record {
    Record() = default;
    explicit Record(std::string file_, int line_ = 0) : file(std::move(file_)), line(line_) {}

    std::string file;
    int line = 0;
    std::vector<Issue> problems;  // found while reading; a record with any non-kept one is left out

    std::string source_ref;
    std::string source_field;  // the field that named the image, for image-level issues
    std::filesystem::path image_path;
    std::string image_shown;   // how issues name the image; image_path when empty
    std::vector<SourceBox> boxes;
    std::string boxes_field;
    bool normalised = false;
    std::vector<std::string> labels;
    Split split = Split::Unassigned;
    std::optional<std::pair<int, int>> declared_size;  // width, height as the input stated them
    std::string label_attribute;  // Ground Truth: the attribute the labels were read from
    Json label_metadata;          // and its "-metadata" object
    std::string size_field;

    bool rejected() const;
    // Notes a problem that leaves this record out. Readers stop at the first one, so a record
    // costs the user one issue to fix at a time and rejected() counts records, not symptoms.
    void reject(std::string field, std::string code, std::string reason);
};

struct RawDataset {
    TaskType task = TaskType::ObjectDetection;
    size_t records = 0;
    std::vector<Record> items;
};

// Absolute and lexically normal, so that two spellings of one file compare equal.
std::filesystem::path normalise_path(const std::filesystem::path& p);

}  // namespace apiary::data::detail
