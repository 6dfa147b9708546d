#include "train/classification_data.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "vision/decode.h"

namespace apiary::train {

std::vector<std::string> image_label_set(const std::vector<data::Entry>& entries) {
    std::set<std::string> names;
    for (const auto& e : entries) names.insert(e.labels.begin(), e.labels.end());
    return {names.begin(), names.end()};
}

std::vector<LabelledImage> cache_labelled_images(const std::vector<data::Entry>& entries,
                                                 const std::vector<std::string>& labels, int input_size,
                                                 bool multi_label) {
    const auto limits = vision::DecodeLimits::for_dataset_images();
    std::vector<LabelledImage> out;
    out.reserve(entries.size());
    for (const auto& e : entries) {
        LabelledImage c;
        c.source_ref = e.source_ref;
        for (const auto& l : e.labels) {
            const auto it = std::find(labels.begin(), labels.end(), l);
            if (it != labels.end()) c.labels.push_back(int(it - labels.begin()));
        }
        if (!multi_label && c.labels.size() != 1)
            throw Error(Location{e.source_ref, 0, "labels"},
                        "a single-label classification image needs exactly one label, it has " +
                            std::to_string(c.labels.size()));
        const cv::Mat img = vision::decode_image_file(e.image_path, limits);
        c.width = img.cols, c.height = img.rows;
        const double scale = 1.5 * input_size / std::max(img.cols, img.rows);
        if (scale < 1) cv::resize(img, c.image, {}, scale, scale, cv::INTER_AREA);
        else c.image = img;
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<double> class_balance_weights(const std::vector<LabelledImage>& images, size_t num_labels,
                                          bool multi_label) {
    std::vector<double> count(num_labels, 0);
    for (const auto& i : images)
        for (int l : i.labels) count[size_t(l)] += 1;
    const double n = double(std::max<size_t>(images.size(), 1));
    std::vector<double> w(num_labels, 1.0);
    for (size_t l = 0; l < num_labels; ++l) {
        const double c = std::max(count[l], 1.0);
        w[l] = multi_label ? std::clamp((n - c) / c, 1.0, 10.0) : std::clamp(n / (double(num_labels) * c), 0.1, 10.0);
    }
    return w;
}

}  // namespace apiary::train
