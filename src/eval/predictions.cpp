#include "eval/predictions.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "eval/matching.h"

namespace apiary::eval {
namespace {

double threshold_of(const std::map<std::string, double>& thresholds, const std::string& label, double fallback) {
    const auto it = thresholds.find(label);
    return it == thresholds.end() ? fallback : it->second;
}

Json box_json(const Box& b) { return Json::array({b.left, b.top, b.width, b.height}); }

}  // namespace

StoredPredictions store_predictions(const std::vector<ImageCase>& images, const std::vector<std::string>& labels,
                                    double floor, double iou_threshold) {
    StoredPredictions out;
    out.floor = floor;
    out.iou_threshold = iou_threshold;
    out.labels = labels;
    for (const auto& img : images) {
        StoredImage stored;
        stored.image = img.image;
        stored.truth = img.truth;
        for (const auto& label : labels) {
            const auto matches = match_label(img, label, iou_threshold);
            for (const auto& m : matches.detections) {
                if (m.score < floor) break;  // falling order: the rest are lower still
                const auto& d = img.detections[m.detection];
                stored.detections.push_back({d.label, d.box, d.score, m.truth});
            }
        }
        std::stable_sort(stored.detections.begin(), stored.detections.end(),
                         [](const auto& a, const auto& b) { return a.confidence > b.confidence; });
        out.images.push_back(std::move(stored));
    }
    return out;
}

std::map<std::string, OperatingPoint> StoredPredictions::at(const std::map<std::string, double>& thresholds,
                                                            double fallback) const {
    std::map<std::string, size_t> truth, kept, right;
    for (const auto& img : images) {
        for (const auto& t : img.truth) ++truth[t.label];
        for (const auto& d : img.detections) {
            if (d.confidence < threshold_of(thresholds, d.label, fallback)) continue;
            ++kept[d.label];
            right[d.label] += d.truth >= 0;
        }
    }
    std::map<std::string, OperatingPoint> out;
    for (const auto& label : labels)
        out[label] = operating_point(threshold_of(thresholds, label, fallback), right[label], kept[label], truth[label]);
    return out;
}

std::vector<JudgedBox> StoredPredictions::judge(const std::string& image, const std::map<std::string, double>& thresholds,
                                                double fallback) const {
    const auto it = std::find_if(images.begin(), images.end(), [&](const auto& i) { return i.image == image; });
    if (it == images.end()) throw NotFound("no test image " + image + " in this evaluation");
    return judge(*it, thresholds, fallback);
}

std::vector<JudgedBox> StoredPredictions::judge(const StoredImage& image, const std::map<std::string, double>& thresholds,
                                                double fallback) {
    std::vector<JudgedBox> out;
    std::vector<bool> found(image.truth.size(), false);
    for (const auto& d : image.detections) {
        if (d.confidence < threshold_of(thresholds, d.label, fallback)) continue;
        if (d.truth >= 0 && size_t(d.truth) < found.size()) found[size_t(d.truth)] = true;
        out.push_back({d.label, d.box, d.confidence, d.truth >= 0 ? Outcome::TruePositive : Outcome::FalsePositive});
    }
    for (size_t i = 0; i < image.truth.size(); ++i)
        if (!found[i]) out.push_back({image.truth[i].label, image.truth[i].box, 0, Outcome::FalseNegative});
    return out;
}

Json StoredPredictions::summary_at(const std::map<std::string, double>& thresholds, double fallback) const {
    const auto points = at(thresholds, fallback);
    Json labels_json = Json::array();
    double f1 = 0, precision = 0, recall = 0;
    for (const auto& label : labels) {
        const auto& p = points.at(label);
        const double n = double(labels.size());
        f1 += p.f1 / n, precision += p.precision / n, recall += p.recall / n;
        labels_json.push_back({{"label", label},
                               {"truth_boxes", p.true_positives + p.false_negatives},
                               {"assumed",
                                {{"threshold", p.threshold},
                                 {"precision", p.precision},
                                 {"recall", p.recall},
                                 {"f1", p.f1},
                                 {"true_positives", p.true_positives},
                                 {"false_positives", p.false_positives},
                                 {"false_negatives", p.false_negatives}}}});
    }
    Json images_json = Json::array();
    for (const auto& img : images) {
        size_t counts[3] = {0, 0, 0};
        for (const auto& b : judge(img, thresholds, fallback)) ++counts[static_cast<int>(b.outcome)];
        images_json.push_back({{"image", img.image},
                               {"true_positives", counts[0]},
                               {"false_positives", counts[1]},
                               {"false_negatives", counts[2]}});
    }
    return {{"overall", {{"f1", f1}, {"precision", precision}, {"recall", recall}}},
            {"labels", labels_json},
            {"images", images_json}};
}

Json StoredPredictions::to_json() const {
    Json imgs = Json::array();
    for (const auto& img : images) {
        Json truth = Json::array(), dets = Json::array();
        for (const auto& t : img.truth) truth.push_back({t.label, box_json(t.box)});
        for (const auto& d : img.detections)
            dets.push_back({d.label, box_json(d.box), d.confidence, d.truth});  // unrounded: thresholds are scores
        imgs.push_back({{"image", img.image}, {"truth", truth}, {"detections", dets}});
    }
    return {{"version", 1},
            {"floor", floor},
            {"iou_threshold", iou_threshold},
            {"labels", labels},
            {"columns",
             {{"truth", {"label", "box [left, top, width, height] in pixels"}},
              {"detections", {"label", "box", "confidence 0..1", "index of the truth box matched at IoU 0.5, or -1"}}}},
            {"images", imgs}};
}

StoredPredictions StoredPredictions::from_json(const Json& j, const std::string& file) {
    StoredPredictions p;
    std::string where = "predictions";
    const auto box_of = [&](const Json& b) {
        if (!b.is_array() || b.size() != 4) throw Error(Location{file, 0, where}, "a box is [left, top, width, height]");
        return Box{b[0].get<double>(), b[1].get<double>(), b[2].get<double>(), b[3].get<double>()};
    };
    try {
        if (j.at("version").get<int>() != 1) throw Error(Location{file, 0, "version"}, "unknown predictions format");
        p.floor = j.at("floor").get<double>();
        p.iou_threshold = j.at("iou_threshold").get<double>();
        p.labels = j.at("labels").get<std::vector<std::string>>();
        const Json& images = j.at("images");
        for (size_t i = 0; i < images.size(); ++i) {
            StoredImage img;
            img.image = images[i].at("image").get<std::string>();
            where = "images[" + std::to_string(i) + "]";
            for (const auto& t : images[i].at("truth")) img.truth.push_back({t.at(0).get<std::string>(), box_of(t.at(1))});
            for (const auto& d : images[i].at("detections")) {
                StoredDetection s{d.at(0).get<std::string>(), box_of(d.at(1)), d.at(2).get<double>(), d.at(3).get<int>()};
                if (s.truth >= static_cast<int>(img.truth.size()))
                    throw Error(Location{file, 0, where}, "a detection matches a truth box the image does not have");
                img.detections.push_back(std::move(s));
            }
            p.images.push_back(std::move(img));
        }
    } catch (const Json::exception& e) {
        throw Error(Location{file, 0, where}, std::string("malformed predictions: ") + e.what());
    }
    return p;
}

}  // namespace apiary::eval
