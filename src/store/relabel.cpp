#include "store/relabel.h"

#include <algorithm>
#include <functional>

#include "core/error.h"
#include "data/import.h"

namespace apiary::store {

namespace {

// Applies `edit` to every entry; those it changes are stored again, dataset by dataset.
int64_t rewrite(Catalog& catalog, const ProjectInfo& project, const std::function<bool(data::Entry&)>& edit) {
    int64_t changed = 0;
    for (const auto& d : catalog.datasets(project)) {
        data::ImportReport report;
        report.task = d.task;
        for (auto& e : catalog.entries(d))
            if (edit(e)) report.entries.push_back(std::move(e));
        if (report.entries.empty()) continue;
        report.records = report.entries.size();
        changed += static_cast<int64_t>(report.entries.size());
        catalog.import(project, report, d.type, d.last_import_report);
    }
    return changed;
}

void check_label(const std::string& label, const char* field) {
    if (label.empty() || label.size() > 256) throw Error(Location{"", 0, field}, "a label has 1 to 256 characters");
    for (const unsigned char c : label)
        if (c < 0x20 || c == 0x7f) throw Error(Location{"", 0, field}, "a label holds no control characters");
}

}  // namespace

int64_t rename_label(Catalog& catalog, const ProjectInfo& project, const std::string& from, const std::string& to) {
    check_label(from, "from");
    check_label(to, "to");
    if (from == to) return 0;
    return rewrite(catalog, project, [&](data::Entry& e) {
        bool changed = false;
        for (auto& o : e.objects)
            if (o.label == from) o.label = to, changed = true;
        for (auto& l : e.labels)
            if (l == from) l = to, changed = true;
        std::sort(e.labels.begin(), e.labels.end());
        e.labels.erase(std::unique(e.labels.begin(), e.labels.end()), e.labels.end());
        return changed;
    });
}

int64_t delete_label(Catalog& catalog, const ProjectInfo& project, const std::string& label) {
    check_label(label, "label");
    return rewrite(catalog, project, [&](data::Entry& e) {
        const size_t before = e.objects.size() + e.labels.size();
        std::erase_if(e.objects, [&](const data::ObjectBox& o) { return o.label == label; });
        std::erase(e.labels, label);
        return e.objects.size() + e.labels.size() != before;
    });
}

}  // namespace apiary::store
