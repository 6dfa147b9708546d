#pragma once
// Export to a SageMaker Ground Truth manifest (JSON Lines), the reference service's own format.
#include <ostream>
#include <string>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

struct ExportOptions {
    std::string attribute = "bounding-box";  // label attribute name; "class" for classification
    std::string job_name = "apiary-export";
};

// One manifest line (no newline) for `entry`; source-ref is entry.image_path (absolute).
std::string to_manifest_line(const Entry& entry, TaskType task, const ExportOptions& options = {});

void write_manifest(std::ostream& out, const std::vector<Entry>& entries, TaskType task,
                    const ExportOptions& options = {});

}  // namespace apiary::data
