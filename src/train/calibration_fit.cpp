#include "train/calibration_fit.h"

#include "eval/evaluation.h"
#include "eval/matching.h"
#include "infer/detector_run.h"

namespace apiary::train {

namespace {
constexpr double kFitFloor = 0.02;
}  // namespace

std::vector<eval::ImageCase> detect_cached(nn::CenterNetImpl& net, const std::vector<CachedImage>& images,
                                           const std::vector<std::string>& labels, int input_size, int max_detections,
                                           double tile_fraction) {
    std::vector<eval::ImageCase> cases;
    infer::RunOptions run;
    run.input_size = input_size;
    run.top_k = max_detections;
    run.tile_fraction = tile_fraction;
    const size_t batch = 4;
    for (size_t i = 0; i < images.size(); i += batch) {
        std::vector<cv::Mat> mats;
        for (size_t j = i; j < std::min(images.size(), i + batch); ++j) mats.push_back(images[j].image);
        const auto detections = infer::run_detector(net, mats, run);
        for (size_t j = 0; j < mats.size(); ++j) {
            const auto& img = images[i + j];
            eval::ImageCase c;
            c.image = img.source_ref;
            for (size_t k = 0; k < img.boxes.size(); ++k) c.truth.push_back({labels[size_t(img.labels[k])], img.boxes[k]});
            for (const auto& d : detections[j]) c.detections.push_back({labels[size_t(d.class_id)], d.box, d.score});
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

CalibrationFit fit_calibration(const std::vector<eval::ImageCase>& validation, const std::vector<std::string>& labels) {
    CalibrationFit fit;
    const auto raw = eval::evaluate(validation, labels);
    fit.validation_ap50 = raw.ap50;
    fit.ece_raw = raw.reliability.ece;
    for (const auto& label : labels) {
        std::vector<eval::ScoredOutcome> outcomes;
        for (const auto& img : validation)
            for (const auto& m : eval::match_label(img, label, 0.5).detections)
                if (m.score >= kFitFloor) outcomes.push_back({m.score, m.true_positive});
        fit.detections += outcomes.size();
        fit.calibration.set(label, eval::fit_platt(outcomes));
    }
    return fit;
}

Json CalibrationFit::to_json() const {
    return {{"calibration", calibration.to_json()},
            {"validation_ap50", validation_ap50},
            {"validation_detections", detections},
            {"validation_ece_raw", ece_raw}};
}

}  // namespace apiary::train
