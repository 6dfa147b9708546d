#include "data/statistics.h"

#include <algorithm>
#include <cmath>

namespace apiary::data {

Spread Spread::of(std::vector<double> values) {
    if (values.empty()) return {};
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {values.front(), median, values.back()};
}

Json Spread::to_json() const { return {{"min", min}, {"median", median}, {"max", max}}; }

DatasetStats compute_stats(const std::vector<Entry>& entries) {
    DatasetStats s;
    std::vector<double> iw, ih, bw, bh, rel;
    for (const auto& e : entries) {
        ++s.images;
        const auto labels = e.all_labels();
        if (!labels.empty()) ++s.labelled_images;
        for (const auto& l : labels) ++s.labels[l].images;
        iw.push_back(e.image.width);
        ih.push_back(e.image.height);
        const double image_area = static_cast<double>(e.image.width) * e.image.height;
        for (const auto& o : e.objects) {
            ++s.boxes;
            ++s.labels[o.label].boxes;
            bw.push_back(o.box.width);
            bh.push_back(o.box.height);
            if (image_area > 0) rel.push_back(std::sqrt(o.box.area() / image_area));
        }
    }
    s.image_width = Spread::of(iw);
    s.image_height = Spread::of(ih);
    s.box_width = Spread::of(bw);
    s.box_height = Spread::of(bh);
    s.box_relative_size = Spread::of(rel);
    return s;
}

Json DatasetStats::to_json() const {
    Json per_label = Json::object();
    for (const auto& [name, c] : labels) per_label[name] = {{"images", c.images}, {"boxes", c.boxes}};
    return {{"images", images},
            {"labelled_images", labelled_images},
            {"boxes", boxes},
            {"labels", per_label},
            {"image_width", image_width.to_json()},
            {"image_height", image_height.to_json()},
            {"box_width", box_width.to_json()},
            {"box_height", box_height.to_json()},
            {"box_relative_size", box_relative_size.to_json()}};
}

}  // namespace apiary::data
