#include "data/export.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
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

size_t class_id(const std::vector<std::string>& classes, const std::string& label) {
    return static_cast<size_t>(std::lower_bound(classes.begin(), classes.end(), label) - classes.begin());
}

Json class_map(const std::vector<std::string>& classes) {
    Json map = Json::object();
    for (size_t i = 0; i < classes.size(); ++i) map[std::to_string(i)] = classes[i];
    return map;
}

Json metadata_tail(Json meta, const std::string& type, const ExportOptions& options) {
    meta["type"] = type;
    meta["human-annotated"] = "yes";
    meta["creation-date"] = creation_date();
    meta["job-name"] = job_name(options);
    return meta;
}

// `classes` is sorted and holds every label the entry uses.
std::string manifest_line(const Entry& e, TaskType task, const ExportOptions& o, const std::vector<std::string>& classes) {
    const std::string& attr = o.attribute;
    Json line;
    line["source-ref"] = e.image_path.string();
    switch (task) {
        case TaskType::ObjectDetection: {
            Json anns = Json::array(), confidences = Json::array();
            for (const auto& obj : e.objects) {
                anns.push_back({{"class_id", class_id(classes, obj.label)}, {"top", number(obj.box.top)}, {"left", number(obj.box.left)},
                                {"width", number(obj.box.width)}, {"height", number(obj.box.height)}});
                confidences.push_back({{"confidence", 0}});
            }
            line[attr] = {{"image_size", Json::array({{{"width", e.image.width}, {"height", e.image.height}, {"depth", 3}}})},
                          {"annotations", std::move(anns)}};
            line[attr + "-metadata"] = metadata_tail({{"objects", std::move(confidences)}, {"class-map", class_map(classes)}},
                                                     "groundtruth/object-detection", o);
            break;
        }
        case TaskType::Classification: {
            if (e.labels.size() != 1)
                throw Error(Location{e.source_ref}, "a classification entry needs exactly one label, this one has " + std::to_string(e.labels.size()));
            line[attr] = class_id(classes, e.labels.front());
            line[attr + "-metadata"] = metadata_tail({{"class-name", e.labels.front()}, {"confidence", 0}}, "groundtruth/image-classification", o);
            break;
        }
        case TaskType::MultiLabelClassification: {
            Json ids = Json::array();
            for (const auto& l : e.labels) ids.push_back(class_id(classes, l));
            line[attr] = std::move(ids);
            line[attr + "-metadata"] = metadata_tail({{"class-map", class_map(classes)}}, "groundtruth/image-classification-multilabel", o);
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
