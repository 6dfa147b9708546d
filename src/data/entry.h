#pragma once
// The in-memory form of a labelled dataset, whatever format it was read from.
#include <filesystem>
#include <string>
#include <vector>

#include "core/geometry.h"
#include "core/json.h"
#include "vision/image_probe.h"

namespace apiary::data {

enum class Split { Unassigned, Train, Test };
std::string to_string(Split s);  // "", "train", "test"

enum class TaskType { ObjectDetection, Classification, MultiLabelClassification };
std::string to_string(TaskType t);  // "object-detection", "classification", "multi-label-classification"

struct ObjectBox {
    std::string label;
    Box box;  // pixels
    bool operator==(const ObjectBox&) const = default;
};

struct Entry {
    std::string source_ref;               // as the input wrote it (for reports and export)
    std::filesystem::path image_path;     // the local file it resolved to
    // Format and size from the file header. The size is the stored pixel grid, before any EXIF
    // rotation: boxes are in that grid, and vision applies the orientation when it decodes.
    vision::ImageInfo image;
    std::string sha256;                   // content digest: duplicate detection and storage key
    std::vector<ObjectBox> objects;       // object detection
    std::vector<std::string> labels;      // image-level labels (classification)
    Split split = Split::Unassigned;      // where the source format put it, if anywhere
    // A Ground Truth line's own label attribute name and its "-metadata" object (job-name,
    // creation-date, class-map, ...), kept so that listing and exporting the entry give back what
    // the user imported; empty/null for other formats.
    std::string label_attribute;
    Json label_metadata;

    // Every label the entry carries (object labels for detection), sorted, unique.
    std::vector<std::string> all_labels() const;
};

// One problem found in the input. The entry it concerns is left out unless `kept` is set
// (a problem confined to one box — e.g. a zero-area box — drops that box only).
struct Issue {
    std::string file;
    int line = 0;        // 1-based manifest line, 0 for file-per-entry formats
    std::string field;   // e.g. "annotations[1].width"
    std::string code;    // stable machine-readable kind, e.g. "box-outside-image"
    std::string reason;  // human-readable explanation
    bool kept = false;   // true when the entry was imported despite the problem

    std::string str() const;  // "output.manifest:7 annotations[1].width: box-outside-image: ..."
    Json to_json() const;
};

}  // namespace apiary::data
