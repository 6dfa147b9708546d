#include "data/export.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>

#include "core/error.h"

namespace apiary::data {
namespace {

// Integral coordinates are written as integers, as Ground Truth does ("left": 233, not 233.0).
Json number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
    return v;
}

std::string creation_date() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec, static_cast<long long>(micros));
    return buf;
}

std::string job_name(const ExportOptions& options) {
    return options.job_name.starts_with("labeling-job/") ? options.job_name : "labeling-job/" + options.job_name;
}

// The entry's own metadata (job-name, creation-date, human-annotated, ... as imported) where it
// has some; the members that describe the labels (`meta`, the type) always from the labels as
// they are now, which an edit may have changed since.
Json metadata_tail(Json meta, const std::string& type, const ExportOptions& options, const Entry& e) {
    if (e.label_metadata.is_object())
        for (const auto& [key, value] : e.label_metadata.items())
            if (!meta.contains(key) && key != "objects" && key != "class-map" && key != "class-name" &&
                key != "confidence")
                meta[key] = value;
    meta["type"] = type;
    if (!meta.contains("human-annotated")) meta["human-annotated"] = "yes";
    if (!meta.contains("creation-date")) meta["creation-date"] = creation_date();
    if (!meta.contains("job-name")) meta["job-name"] = job_name(options);
    return meta;
}

// The class ids of the entry's own class-map when it names every label the entry has (so an
// exported line says "class_id": 3 where the user's said 3), else `classes` in order.
std::map<std::string, Json> class_ids(const Entry& e, const std::vector<std::string>& classes) {
    std::map<std::string, Json> ids;
    const Json* map = e.label_metadata.is_object() && e.label_metadata.contains("class-map")
                          ? &e.label_metadata["class-map"]
                          : nullptr;
    if (map && map->is_object()) {
        for (const auto& [id, name] : map->items()) {
            char* end = nullptr;
            const long n = std::strtol(id.c_str(), &end, 10);
            if (name.is_string() && end && *end == 0 && !id.empty()) ids[name.get<std::string>()] = n;
        }
        const auto labels = e.all_labels();
        if (std::all_of(labels.begin(), labels.end(), [&](const std::string& l) { return ids.contains(l); })) return ids;
        ids.clear();
    }
    for (size_t i = 0; i < classes.size(); ++i) ids[classes[i]] = i;
    return ids;
}

Json class_map(const std::map<std::string, Json>& ids, const std::vector<std::string>& labels) {
    Json map = Json::object();
    for (const auto& l : labels) map[ids.at(l).dump()] = l;
    return map;
}

// `classes` is sorted and holds every label the entry uses.
std::string manifest_line(const Entry& e, TaskType task, const ExportOptions& o, const std::vector<std::string>& classes) {
    const std::string& attr = e.label_attribute.empty() ? o.attribute : e.label_attribute;
    const auto ids = class_ids(e, classes);
    const bool own_ids = ids.size() != classes.size() || !std::equal(classes.begin(), classes.end(), ids.begin(),
                                                                      [](const std::string& c, const auto& kv) { return c == kv.first; });
    // The manifest's class-map: every class of the manifest, or the entry's own ids for its labels.
    const Json classes_map = own_ids ? class_map(ids, e.all_labels()) : class_map(ids, classes);
    Json line;
    const bool local = o.source_ref == ExportOptions::SourceRef::LocalCopy || e.source_ref.empty();
    line["source-ref"] = local ? e.image_path.string() : e.source_ref;
    switch (task) {
        case TaskType::ObjectDetection: {
            Json anns = Json::array(), confidences = Json::array();
            for (const auto& obj : e.objects) {
                anns.push_back({{"class_id", ids.at(obj.label)}, {"top", number(obj.box.top)}, {"left", number(obj.box.left)},
                                {"width", number(obj.box.width)}, {"height", number(obj.box.height)}});
                confidences.push_back({{"confidence", 0}});
            }
            line[attr] = {{"image_size", Json::array({{{"width", e.image.width}, {"height", e.image.height}, {"depth", 3}}})},
                          {"annotations", std::move(anns)}};
            line[attr + "-metadata"] = metadata_tail({{"objects", std::move(confidences)}, {"class-map", classes_map}},
                                                     "groundtruth/object-detection", o, e);
            break;
        }
        case TaskType::Classification: {
            if (e.labels.size() != 1)
                throw Error(Location{e.source_ref}, "a classification entry needs exactly one label, this one has " + std::to_string(e.labels.size()));
            line[attr] = ids.at(e.labels.front());
            const Json confidence = e.label_metadata.is_object() && e.label_metadata.contains("confidence") &&
                                            e.label_metadata.value("class-name", Json()) == e.labels.front()
                                        ? e.label_metadata["confidence"]
                                        : Json(0);
            line[attr + "-metadata"] = metadata_tail({{"class-name", e.labels.front()}, {"confidence", confidence}},
                                                     "groundtruth/image-classification", o, e);
            break;
        }
        case TaskType::MultiLabelClassification: {
            Json label_ids = Json::array();
            for (const auto& l : e.labels) label_ids.push_back(ids.at(l));
            line[attr] = std::move(label_ids);
            line[attr + "-metadata"] = metadata_tail({{"class-map", classes_map}}, "groundtruth/image-classification-multilabel", o, e);
            break;
        }
    }
    return line.dump();
}

}  // namespace

std::string to_manifest_line(const Entry& entry, TaskType task, const ExportOptions& options) {
    return manifest_line(entry, task, options, entry.all_labels());
}

void write_manifest(std::ostream& out, const std::vector<Entry>& entries, TaskType task, const ExportOptions& options) {
    // One class map for the whole manifest, so a class id means the same label on every line.
    std::set<std::string> all;
    for (const auto& e : entries)
        for (auto& l : e.all_labels()) all.insert(std::move(l));
    const std::vector<std::string> classes(all.begin(), all.end());
    for (const auto& e : entries) out << manifest_line(e, task, options, classes) << '\n';
}

}  // namespace apiary::data
