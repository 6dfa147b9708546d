#include "data/entry.h"

#include <algorithm>

#include "core/utf8.h"

namespace apiary::data {

std::string to_string(Split s) {
    switch (s) {
        case Split::Train: return "train";
        case Split::Test: return "test";
        case Split::Unassigned: break;
    }
    return "";
}

std::string to_string(TaskType t) {
    switch (t) {
        case TaskType::ObjectDetection: return "object-detection";
        case TaskType::Classification: return "classification";
        case TaskType::MultiLabelClassification: return "multi-label-classification";
    }
    return "";
}

std::vector<std::string> Entry::all_labels() const {
    std::vector<std::string> out = labels;
    for (const auto& o : objects) out.push_back(o.label);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string Issue::str() const {
    std::string out = file;
    if (line > 0) out.append(":").append(std::to_string(line));
    if (!field.empty()) out.append(out.empty() ? "" : " ").append(field);
    if (!out.empty()) out += ": ";
    out += code + ": " + reason;
    if (kept) out += " (entry kept)";
    return out;
}

Json Issue::to_json() const {
    return Json{{"file", valid_utf8(file)}, {"line", line},           {"field", valid_utf8(field)},
                {"code", valid_utf8(code)}, {"reason", valid_utf8(reason)}, {"kept", kept}};
}

}  // namespace apiary::data
