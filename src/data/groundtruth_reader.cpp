// SageMaker Ground Truth manifests: one JSON object per line, labels under an attribute whose
// name is chosen by the labelling job. The attribute is found through its "<name>-metadata"
// object, whose "type" says what kind of labels it holds.
#include <algorithm>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "data/json_fields.h"
#include "data/path_mapping.h"
#include "data/readers.h"

namespace apiary::data::detail {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kMetaSuffix = "-metadata";

std::optional<TaskType> task_of_type(const std::string& type) {
    if (type == "groundtruth/object-detection") return TaskType::ObjectDetection;
    if (type == "groundtruth/image-classification") return TaskType::Classification;
    if (type == "groundtruth/image-classification-multilabel") return TaskType::MultiLabelClassification;
    return std::nullopt;
}

std::string type_of_task(TaskType t) {
    switch (t) {
        case TaskType::ObjectDetection: return "groundtruth/object-detection";
        case TaskType::Classification: return "groundtruth/image-classification";
        case TaskType::MultiLabelClassification: return "groundtruth/image-classification-multilabel";
    }
    return "";
}

struct LabelAttribute {
    std::string name;
    TaskType task;
};

std::vector<LabelAttribute> label_attributes(const json& doc, std::vector<std::string>& other_types) {
    std::vector<LabelAttribute> out;
    for (const auto& [key, value] : doc.items()) {
        if (key.size() <= kMetaSuffix.size() || !key.ends_with(kMetaSuffix) || !value.is_object()) continue;
        const auto type = value.find("type");
        if (type == value.end() || !type->is_string()) continue;
        if (const auto task = task_of_type(type->get<std::string>()))
            out.push_back({key.substr(0, key.size() - kMetaSuffix.size()), *task});
        else
            other_types.push_back(type->get<std::string>());
    }
    return out;
}

std::string parse_error_text(const std::exception& e) {
    std::string what = e.what();
    if (what.starts_with("[json.exception.")) {
        const auto close = what.find("] ");
        if (close != std::string::npos) what = what.substr(close + 2);
    }
    return what;
}

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

void read_labels(const json& doc, const LabelAttribute& la, Record& rec) {
    const auto attr = doc.find(la.name);
    if (attr == doc.end())
        return rec.reject(la.name, "missing-field",
                          "'" + la.name + std::string(kMetaSuffix) + "' is present but the label attribute '" + la.name + "' is not");
    const json& meta = doc.at(la.name + std::string(kMetaSuffix));
    switch (la.task) {
        case TaskType::ObjectDetection: return read_detection(*attr, la.name, meta, rec);
        case TaskType::Classification: return read_classification(*attr, la.name, meta, rec);
        case TaskType::MultiLabelClassification: return read_multilabel(*attr, la.name, meta, rec);
    }
}

void read_source(const json& doc, const fs::path& base, const std::vector<PathMapping>& maps, Record& rec) {
    rec.source_field = "source-ref";
    const auto it = doc.find("source-ref");
    if (it == doc.end()) return rec.reject("source-ref", "missing-source-ref", "line has no source-ref");
    if (!it->is_string()) return rec.reject("source-ref", "invalid-field", "expected a string, got " + describe_json(*it));
    rec.source_ref = it->get<std::string>();
    if (rec.source_ref.empty()) return rec.reject("source-ref", "missing-source-ref", "source-ref is empty");
    const ResolvedRef resolved = resolve_source_ref(rec.source_ref, base, maps);
    if (!resolved.error.empty()) return rec.reject("source-ref", "unmapped-source-ref", resolved.error);
    rec.image_path = resolved.path;
}

// Reads one line as `task`; returns the task the line itself declares (for the majority vote),
// or nullopt if it declares none.
std::optional<TaskType> read_line(std::string_view text, std::optional<TaskType> task, const fs::path& base,
                                  const std::vector<PathMapping>& maps, Record& rec) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const std::exception& e) {
        rec.reject("", "malformed-json", parse_error_text(e));
        return std::nullopt;
    }
    if (!doc.is_object()) {
        rec.reject("", "malformed-json", "a manifest line must be a JSON object, got " + describe_json(doc));
        return std::nullopt;
    }
    read_source(doc, base, maps, rec);
    std::vector<std::string> other_types;
    const auto attrs = label_attributes(doc, other_types);
    if (attrs.empty()) {
        if (!rec.rejected())
            rec.reject("", "missing-label",
                       other_types.empty()
                           ? "no label attribute: expected a '<name>-metadata' object whose type is " + type_of_task(TaskType::ObjectDetection) +
                                 ", " + type_of_task(TaskType::Classification) + " or " + type_of_task(TaskType::MultiLabelClassification)
                           : "label type '" + other_types.front() + "' is not supported");
        return std::nullopt;
    }
    const LabelAttribute* chosen = &attrs.front();
    if (task)
        for (const auto& a : attrs)
            if (a.task == *task) chosen = &a;
    if (!rec.rejected()) {
        if (task && chosen->task != *task)
            rec.reject(chosen->name + std::string(kMetaSuffix) + ".type", "mixed-task",
                       "labels are " + to_string(chosen->task) + " but most of the manifest is " + to_string(*task));
        else
            read_labels(doc, *chosen, rec);
    }
    return attrs.front().task;
}

struct Line {
    int number;
    std::string_view text;
};

std::vector<Line> split_lines(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
    std::vector<Line> out;
    int number = 0;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++number;
        if (line.ends_with('\r')) line.remove_suffix(1);
        if (line.find_first_not_of(" \t\r\f\v") != std::string_view::npos) out.push_back({number, line});
    }
    return out;
}

}  // namespace

RawDataset read_groundtruth(const fs::path& manifest, const std::vector<PathMapping>& maps) {
    const std::string text = read_file(manifest);
    const fs::path base = normalise_path(manifest).parent_path();
    const auto lines = split_lines(text);

    RawDataset raw;
    raw.records = lines.size();
    raw.items.reserve(lines.size());
    std::vector<std::optional<TaskType>> declared(lines.size());
    std::map<TaskType, size_t> votes;
    std::vector<TaskType> first_seen;
    for (size_t i = 0; i < lines.size(); ++i) {
        Record rec{manifest.string(), lines[i].number};
        try {
            declared[i] = read_line(lines[i].text, std::nullopt, base, maps, rec);
        } catch (const std::exception& e) {
            rec.reject("", "malformed-record", e.what());
        }
        if (declared[i] && votes[*declared[i]]++ == 0) first_seen.push_back(*declared[i]);
        raw.items.push_back(std::move(rec));
    }
    // One manifest is one dataset of one kind; the majority decides, ties go to the kind seen first.
    if (!first_seen.empty()) {
        TaskType best = first_seen.front();
        for (TaskType t : first_seen)
            if (votes[t] > votes[best]) best = t;
        raw.task = best;
    }
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!declared[i] || *declared[i] == raw.task) continue;
        Record rec{manifest.string(), lines[i].number};
        try {
            read_line(lines[i].text, raw.task, base, maps, rec);
        } catch (const std::exception& e) {
            rec.reject("", "malformed-record", e.what());
        }
        raw.items[i] = std::move(rec);
    }
    return raw;
}

}  // namespace apiary::data::detail
