#include "cli/classification_report.h"

#include <string>
#include <vector>

#include "cli/table.h"

namespace apiary::cli {

void print_classification_report(const Json& evaluation, std::ostream& out) {
    if (!evaluation.contains("classification")) return;
    const Json& c = evaluation["classification"];
    const bool multi = c.value("task", "") == "multi-label-classification";
    out << "\n" << (multi ? "exact-match accuracy " : "top-1 accuracy ")
        << format_number(c.value("accuracy", 0.0), 3) << ", macro F1 " << format_number(c.value("macro_f1", 0.0), 3)
        << " over " << c.value("images", 0) << " test images\n";
    if (!c.contains("confusion_matrix")) return;
    const auto labels = c["confusion_matrix"]["labels"].get<std::vector<std::string>>();
    std::vector<std::string> header = {"TRUTH \\ PREDICTED"};
    header.insert(header.end(), labels.begin(), labels.end());
    Table t(header);
    const auto& rows = c["confusion_matrix"]["rows"];
    for (size_t i = 0; i < labels.size() && i < rows.size(); ++i) {
        std::vector<std::string> row = {labels[i]};
        for (const auto& n : rows[i]) row.push_back(std::to_string(n.get<size_t>()));
        t.add(row);
    }
    out << "\nconfusion matrix (test images):\n";
    t.print(out);
}

}  // namespace apiary::cli
