#pragma once
// Turning a manifest's source-ref into a local file.
#include <filesystem>
#include <string>
#include <vector>

#include "data/import.h"

namespace apiary::data::detail {

struct ResolvedRef {
    std::filesystem::path path;  // absolute, normalised; empty when `error` is set
    std::string error;           // why the ref has no local file
    std::string shown;           // how issues name the image: the path, or the ref when confined
};

// The resolver first; then, unless confined to it, the longest matching mapping prefix, file://
// URIs and plain paths (relative ones taken against `base_dir`).
ResolvedRef resolve_source_ref(const std::string& ref, const std::filesystem::path& base_dir,
                               const ImportOptions& options);

}  // namespace apiary::data::detail
