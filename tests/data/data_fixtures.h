#pragma once
// Builders for small datasets in the formats the importer reads, on top of test_support.h.
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/import.h"
#include "support/test_support.h"

namespace apiary::test {

struct GtBox {
    int class_id = 0;
    double left = 0, top = 0, width = 0, height = 0;
};

// A Ground Truth object-detection line in the service's exact shape.
inline Json gt_detection(const std::string& source_ref, int width, int height, const std::vector<GtBox>& boxes,
                         const std::string& attr = "bees", const Json& class_map = Json{{"0", "bee"}, {"1", "flower"}}) {
    Json anns = Json::array(), objects = Json::array();
    for (const auto& b : boxes) {
        anns.push_back({{"class_id", b.class_id}, {"top", b.top}, {"left", b.left}, {"width", b.width}, {"height", b.height}});
        objects.push_back({{"confidence", 0}});
    }
    return Json{{"source-ref", source_ref},
                {attr, {{"image_size", Json::array({{{"width", width}, {"height", height}, {"depth", 3}}})}, {"annotations", anns}}},
                {attr + "-metadata",
                 {{"objects", objects},
                  {"class-map", class_map},
                  {"type", "groundtruth/object-detection"},
                  {"human-annotated", "yes"},
                  {"creation-date", "2021-03-11T15:00:00.000000"},
                  {"job-name", "labeling-job/" + attr}}}};
}

inline Json gt_classification(const std::string& source_ref, int class_id, const std::string& class_name,
                              const std::string& attr = "species") {
    return Json{{"source-ref", source_ref},
                {attr, class_id},
                {attr + "-metadata",
                 {{"confidence", 0}, {"class-name", class_name}, {"type", "groundtruth/image-classification"}, {"human-annotated", "yes"}}}};
}

inline Json gt_multilabel(const std::string& source_ref, const std::vector<int>& ids, const Json& class_map,
                          const std::string& attr = "tags") {
    return Json{{"source-ref", source_ref},
                {attr, ids},
                {attr + "-metadata", {{"class-map", class_map}, {"type", "groundtruth/image-classification-multilabel"}}}};
}

inline std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

inline std::string join_lines(const std::vector<Json>& lines) {
    std::string out;
    for (const auto& l : lines) out += l.dump() + "\n";
    return out;
}

// A detection manifest folder: images/img<i>.jpg (distinct content) and a manifest of one
// valid line per image, each with one box.
struct DetectionFixture {
    TempDir dir;
    std::vector<Json> lines;

    explicit DetectionFixture(int n, int width = 160, int height = 120) {
        for (int i = 0; i < n; ++i) {
            const std::string name = "images/img" + std::to_string(i) + ".jpg";
            write_test_image(dir / name, width, height, 1000 + i);
            lines.push_back(gt_detection(name, width, height, {{i % 2, 10, 10, 50, 40}}));
        }
    }
    std::filesystem::path write(const std::vector<Json>& content, const std::string& name = "output.manifest") const {
        write_text(dir / name, join_lines(content));
        return dir / name;
    }
    std::filesystem::path write() const { return write(lines); }
};

inline const data::Issue* find_issue(const data::ImportReport& r, const std::string& code) {
    for (const auto& i : r.issues)
        if (i.code == code) return &i;
    return nullptr;
}

inline std::string issues_text(const data::ImportReport& r) {
    std::string out;
    for (const auto& i : r.issues) out += "  " + i.str() + "\n";
    return out;
}

}  // namespace apiary::test
