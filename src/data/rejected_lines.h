#pragma once
// The records of a Ground Truth manifest that an import left out, kept as the reference service
// keeps them: each line as it was written, with an "errors" member added, listed by
// ListDatasetEntries with HasErrors (and `apiary dataset list-entries --has-errors`).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

// (source-ref, line with its errors) for each line that an issue left out. A line without a
// readable source-ref has nothing to be listed under, and is only in the import's report.
std::vector<std::pair<std::string, std::string>> rejected_lines(std::string_view manifest_text,
                                                                const std::vector<Issue>& issues);

}  // namespace apiary::data
