#include "cli/table.h"

#include <algorithm>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace apiary::cli {

void Table::print(std::ostream& out) const {
    std::vector<size_t> width(header_.size(), 0);
    auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
    };
    measure(header_);
    for (const auto& r : rows_) measure(r);
    auto line = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
            out << row[i];
            if (i + 1 < row.size()) out << std::string(width[i] - row[i].size() + 2, ' ');
        }
        out << "\n";
    };
    line(header_);
    for (const auto& r : rows_) line(r);
}

std::string format_time_ms(int64_t epoch_ms) {
    const std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::ostringstream ss;
    ss << std::put_time(&tm, "%Y-%m-%d %H:%M:%S UTC");
    return ss.str();
}

std::string format_number(double v, int decimals) {
    std::ostringstream ss;
    ss << std::fixed << std::setprecision(decimals) << v;
    return ss.str();
}

}  // namespace apiary::cli
