#include "train/image_cache.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "vision/decode.h"

namespace apiary::train {

std::vector<CachedImage> cache_images(const std::vector<data::Entry>& entries, const std::vector<std::string>& labels,
                                      int input_size, double tile_fraction) {
    const auto limits = vision::DecodeLimits::for_dataset_images();
    std::vector<CachedImage> out;
    out.reserve(entries.size());
    for (const auto& e : entries) {
        CachedImage c;
        c.source_ref = e.source_ref;
        cv::Mat img = vision::decode_image_file(e.image_path, limits);
        const double longest = std::max(img.cols, img.rows);
        const double limit = 1.25 * input_size / (tile_fraction > 0 ? tile_fraction : 1.0);
        if (longest > limit) {
            c.scale = limit / longest;
            cv::resize(img, c.image, {}, c.scale, c.scale, cv::INTER_AREA);
        } else {
            c.image = img;
        }
        for (const auto& o : e.objects) {
            const auto it = std::find(labels.begin(), labels.end(), o.label);
            if (it == labels.end()) continue;
            c.boxes.push_back({o.box.left * c.scale, o.box.top * c.scale, o.box.width * c.scale, o.box.height * c.scale});
            c.labels.push_back(static_cast<int>(it - labels.begin()));
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace apiary::train
