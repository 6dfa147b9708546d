#include "data/record.h"

#include <algorithm>

namespace apiary::data::detail {

bool Record::rejected() const {
    return std::any_of(problems.begin(), problems.end(), [](const Issue& i) { return !i.kept; });
}

void Record::reject(std::string field, std::string code, std::string reason) {
    problems.push_back(Issue{file, line, std::move(field), std::move(code), std::move(reason), false});
}

std::filesystem::path normalise_path(const std::filesystem::path& p) {
    std::error_code ec;
    const auto abs = std::filesystem::absolute(p, ec);
    return (ec ? p : abs).lexically_normal();
}

}  // namespace apiary::data::detail
