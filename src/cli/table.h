#pragma once
// Plain-text tables for human-readable output: columns padded to their widest cell.
#include <ostream>
#include <string>
#include <vector>

namespace apiary::cli {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

std::string format_time_ms(int64_t epoch_ms);  // "2026-11-25 20:42:57 UTC"
std::string format_number(double v, int decimals = 1);

}  // namespace apiary::cli
