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
};

// The resolver first, then the longest matching mapping prefix; a plain path is taken
// relative to `base_dir`.
ResolvedRef resolve_source_ref(const std::string& ref, const std::filesystem::path& base_dir,
                               const std::vector<PathMapping>& maps, const SourceResolver& resolver = {});

}  // namespace apiary::data::detail
