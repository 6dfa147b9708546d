// SageMaker Ground Truth manifests: one JSON object per line, labels under an attribute whose
// name is chosen by the labelling job. The attribute is found through its "<name>-metadata"
// object, whose "type" says what kind of labels it holds.
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "core/json_parse.h"
#include "data/groundtruth_labels.h"
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

void read_source(const json& doc, const fs::path& base, const ImportOptions& options, Record& rec) {
    rec.source_field = "source-ref";
    const auto it = doc.find("source-ref");
    if (it == doc.end()) return rec.reject("source-ref", "missing-source-ref", "line has no source-ref");
    if (!it->is_string()) return rec.reject("source-ref", "invalid-field", "expected a string, got " + describe_json(*it));
    rec.source_ref = it->get<std::string>();
    if (rec.source_ref.empty()) return rec.reject("source-ref", "missing-source-ref", "source-ref is empty");
    const ResolvedRef resolved = resolve_source_ref(rec.source_ref, base, options);
    if (!resolved.error.empty()) return rec.reject("source-ref", "unmapped-source-ref", resolved.error);
    rec.image_path = resolved.path;
    rec.image_shown = resolved.shown;
}

// Reads one line as `task`; returns the task the line itself declares (for the majority vote),
// or nullopt if it declares none.
std::optional<TaskType> read_line(std::string_view text, std::optional<TaskType> task, const fs::path& base,
                                  const ImportOptions& options, Record& rec) {
    json doc;
    try {
        check_json_depth(text);  // lines come from clients too; a deep one would crash whoever copies it
        doc = json::parse(text);
    } catch (const std::exception& e) {
        rec.reject("", "malformed-json", parse_error_text(e));
        return std::nullopt;
    }
    if (!doc.is_object()) {
        rec.reject("", "malformed-json", "a manifest line must be a JSON object, got " + describe_json(doc));
        return std::nullopt;
    }
    read_source(doc, base, options, rec);
    std::vector<std::string> other_types;
    const auto attrs = label_attributes(doc, other_types);
    if (attrs.empty()) {
        if (options.unlabelled_lines && other_types.empty() && doc.size() == 1) return std::nullopt;  // source-ref only
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
        else {
            read_groundtruth_labels(doc, chosen->name, chosen->task, rec);
            rec.label_attribute = chosen->name;
            rec.label_metadata = doc[chosen->name + std::string(kMetaSuffix)];
            // A classification line's class id is the attribute's value, not in its metadata:
            // noted there as a one-entry class-map so an export writes the same id back.
            const json& value = doc[chosen->name];
            if (chosen->task == TaskType::Classification && value.is_number_integer() && rec.labels.size() == 1 &&
                !rec.label_metadata.contains("class-map"))
                rec.label_metadata["class-map"] = {{std::to_string(value.get<int64_t>()), rec.labels.front()}};
        }
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

RawDataset read_groundtruth(const fs::path& manifest, const ImportOptions& options) {
    return read_groundtruth_text(read_file(manifest), manifest, options);
}

RawDataset read_groundtruth_text(std::string_view text, const fs::path& manifest, const ImportOptions& options) {
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
            declared[i] = read_line(lines[i].text, std::nullopt, base, options, rec);
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
            read_line(lines[i].text, raw.task, base, options, rec);
        } catch (const std::exception& e) {
            rec.reject("", "malformed-record", e.what());
        }
        raw.items[i] = std::move(rec);
    }
    return raw;
}

}  // namespace apiary::data::detail
