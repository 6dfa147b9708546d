#pragma once
// Summary figures of a dataset, as `dataset describe` shows them (and the trainer uses to pick
// an input size).
#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "data/entry.h"

namespace apiary::data {

struct Spread {
    double min = 0, median = 0, max = 0;
    static Spread of(std::vector<double> values);  // zeros when empty
    Json to_json() const;
};

struct LabelCounts {
    size_t images = 0;
    size_t boxes = 0;
};

struct DatasetStats {
    size_t images = 0;
    size_t labelled_images = 0;
    size_t boxes = 0;
    std::map<std::string, LabelCounts> labels;
    Spread image_width, image_height;
    Spread box_width, box_height;  // pixels
    Spread box_relative_size;      // sqrt(box area / image area): 1 = the whole image

    Json to_json() const;
};

DatasetStats compute_stats(const std::vector<Entry>& entries);

}  // namespace apiary::data
