// Label attributes of Ground Truth lines. Fields inside the attribute are named without the
// attribute prefix ("annotations[1].width"), as the service's own error messages do.
#include "data/groundtruth_labels.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "data/json_fields.h"

namespace apiary::data::detail {
namespace {

using nlohmann::json;

constexpr std::string_view kMetaSuffix = "-metadata";

// The class-map of a metadata object: id text → name. Rejects the record when it is unusable.
std::optional<std::map<std::string, std::string>> class_map(const json& meta, const std::string& meta_name, Record& rec) {
    const std::string field = meta_name + ".class-map";
    const auto it = meta.find("class-map");
    if (it == meta.end()) {
        rec.reject(field, "missing-field", "required field 'class-map' is missing");
        return std::nullopt;
    }
    if (!it->is_object()) {
        rec.reject(field, "invalid-field", "expected an object of id → name, got " + describe_json(*it));
        return std::nullopt;
    }
    std::map<std::string, std::string> out;
    for (const auto& [id, name] : it->items())
        if (name.is_string() && !name.get_ref<const std::string&>().empty()) out[id] = name.get<std::string>();
    return out;
}

std::string known_ids(const std::map<std::string, std::string>& map) {
    std::string out;
    for (const auto& [id, name] : map) out += (out.empty() ? "" : ", ") + id;
    return out.empty() ? "none" : out;
}

std::optional<std::string> lookup_class(const std::map<std::string, std::string>& map, int64_t id,
                                        const std::string& meta_name, const std::string& field, Record& rec) {
    const auto it = map.find(std::to_string(id));
    if (it != map.end()) return it->second;
    rec.reject(field, "unknown-class-id",
               "class id " + std::to_string(id) + " is not in " + meta_name + ".class-map (known ids: " + known_ids(map) + ")");
    return std::nullopt;
}

void read_image_size(const json& attr, Record& rec) {
    const auto it = attr.find("image_size");
    if (it == attr.end()) return;  // optional: sizes are read from the image anyway
    if (!it->is_array() || it->empty()) {
        rec.reject("image_size", "invalid-field", "expected [{\"width\": W, \"height\": H}], got " + describe_json(*it));
        return;
    }
    const auto w = integer_field((*it)[0], "width", "image_size[0].width", rec);
    const auto h = w ? integer_field((*it)[0], "height", "image_size[0].height", rec) : std::nullopt;
    if (!w || !h) return;
    if (*w <= 0 || *h <= 0 || *w > INT32_MAX || *h > INT32_MAX) {
        rec.reject(*w <= 0 ? "image_size[0].width" : "image_size[0].height", "invalid-field",
                   "image size " + std::to_string(*w) + "x" + std::to_string(*h) + " is not a positive size");
        return;
    }
    rec.declared_size = {static_cast<int>(*w), static_cast<int>(*h)};
    rec.size_field = "image_size[0]";
}

void read_detection(const json& attr, const std::string& name, const json& meta, Record& rec) {
    if (!attr.is_object()) {
        rec.reject(name, "invalid-field", "expected an object with image_size and annotations, got " + describe_json(attr));
        return;
    }
    read_image_size(attr, rec);
    if (rec.rejected()) return;
    const auto anns = attr.find("annotations");
    if (anns == attr.end()) return rec.reject("annotations", "missing-field", "required field 'annotations' is missing");
    if (!anns->is_array()) return rec.reject("annotations", "invalid-field", "expected an array, got " + describe_json(*anns));
    rec.boxes_field = "annotations";
    if (anns->empty()) return;  // an image with no objects is a valid negative example
    const auto classes = class_map(meta, name + std::string(kMetaSuffix), rec);
    if (!classes) return;
    for (size_t i = 0; i < anns->size(); ++i) {
        const json& a = (*anns)[i];
        const std::string f = "annotations[" + std::to_string(i) + "]";
        const auto id = integer_field(a, "class_id", f + ".class_id", rec);
        if (!id) return;
        const auto label = lookup_class(*classes, *id, name + std::string(kMetaSuffix), f + ".class_id", rec);
        if (!label) return;
        const auto left = number_field(a, "left", f + ".left", rec);
        const auto top = left ? number_field(a, "top", f + ".top", rec) : std::nullopt;
        const auto width = top ? number_field(a, "width", f + ".width", rec) : std::nullopt;
        const auto height = width ? number_field(a, "height", f + ".height", rec) : std::nullopt;
        if (!height) return;
        rec.boxes.push_back({*label, Box{*left, *top, *width, *height}, f,
                             {f + ".left", f + ".top", f + ".width", f + ".height"}, 0});
    }
}

void read_classification(const json& attr, const std::string& name, const json& meta, Record& rec) {
    if (!as_integer(attr, name, rec)) return;
    if (const auto label = string_field(meta, "class-name", name + std::string(kMetaSuffix) + ".class-name", rec))
        rec.labels.push_back(*label);
}

void read_multilabel(const json& attr, const std::string& name, const json& meta, Record& rec) {
    if (!attr.is_array()) return rec.reject(name, "invalid-field", "expected an array of class ids, got " + describe_json(attr));
    if (attr.empty()) return;
    const auto classes = class_map(meta, name + std::string(kMetaSuffix), rec);
    if (!classes) return;
    for (size_t i = 0; i < attr.size(); ++i) {
        const std::string f = name + "[" + std::to_string(i) + "]";
        const auto id = as_integer(attr[i], f, rec);
        if (!id) return;
        const auto label = lookup_class(*classes, *id, name + std::string(kMetaSuffix), f, rec);
        if (!label) return;
        if (std::find(rec.labels.begin(), rec.labels.end(), *label) == rec.labels.end()) rec.labels.push_back(*label);
    }
}

}  // namespace

void read_groundtruth_labels(const json& doc, const std::string& name, TaskType task, Record& rec) {
    const auto attr = doc.find(name);
    if (attr == doc.end())
        return rec.reject(name, "missing-field",
                          "'" + name + std::string(kMetaSuffix) + "' is present but the label attribute '" + name + "' is not");
    const json& meta = doc.at(name + std::string(kMetaSuffix));
    switch (task) {
        case TaskType::ObjectDetection: return read_detection(*attr, name, meta, rec);
        case TaskType::Classification: return read_classification(*attr, name, meta, rec);
        case TaskType::MultiLabelClassification: return read_multilabel(*attr, name, meta, rec);
    }
}


}  // namespace apiary::data::detail
