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
    // What each line's source-ref names: the reference the entry was imported with (an
    // `s3://…` key, the manifest's own path), or Apiary's local copy of the image (absolute; a
    // manifest that imports again anywhere on this machine). An entry without a reference of
    // its own (made by our code) names its copy either way.
    enum class SourceRef { AsImported, LocalCopy };
    SourceRef source_ref = SourceRef::AsImported;
};

// One manifest line (no newline) for `entry`.
std::string to_manifest_line(const Entry& entry, TaskType task, const ExportOptions& options = {});

void write_manifest(std::ostream& out, const std::vector<Entry>& entries, TaskType task,
                    const ExportOptions& options = {});

}  // namespace apiary::data
