#pragma once
// The labels of one Ground Truth manifest line, read from its label attribute and the
// attribute's "-metadata" object.
#include <string>

#include <nlohmann/json.hpp>

#include "data/record.h"

namespace apiary::data::detail {

// Fills rec.boxes (detection) or rec.labels (classification) from doc[attribute], or rejects
// the record naming the field at fault.
void read_groundtruth_labels(const nlohmann::json& doc, const std::string& attribute, TaskType task, Record& rec);

}  // namespace apiary::data::detail
