#pragma once
// Renaming or deleting a label across a project: every entry of its train and test datasets
// that uses it is rewritten (boxes of detection entries, image-level labels of classification
// ones), in one import per dataset, so the catalogue's counts follow.
#include <cstdint>
#include <string>

#include "store/catalog.h"

namespace apiary::store {

// Entries changed. Renaming onto a label the entry already has merges the two.
int64_t rename_label(Catalog& catalog, const ProjectInfo& project, const std::string& from, const std::string& to);
// Entries changed; their boxes (or image-level label) with this label are gone.
int64_t delete_label(Catalog& catalog, const ProjectInfo& project, const std::string& label);

}  // namespace apiary::store
