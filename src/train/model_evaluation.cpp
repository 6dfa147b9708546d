#include "train/model_evaluation.h"

#include "infer/detector_run.h"
#include "vision/decode.h"

namespace apiary::train {

NetworkEvaluation evaluate_network(nn::CenterNetImpl& net, const std::vector<data::Entry>& entries,
                                   const EvaluationSetup& setup) {
    net.eval();
    const auto limits = vision::DecodeLimits::for_dataset_images();
    infer::RunOptions run;
    run.input_size = setup.input_size;
    run.flip_test = setup.flip_test;
    run.top_k = setup.max_detections;
    run.tile_fraction = setup.tile_fraction;
    std::vector<eval::ImageCase> cases;
    for (const auto& e : entries) {
        const cv::Mat img = vision::decode_image_file(e.image_path, limits);
        eval::ImageCase c;
        c.image = e.source_ref;
        for (const auto& o : e.objects) c.truth.push_back({o.label, o.box});
        const auto detections = infer::run_detector(net, {img}, run);
        for (const auto& d : detections.at(0)) {
            const std::string& label = setup.labels.at(size_t(d.class_id));
            c.detections.push_back({label, d.box, setup.calibration.apply(label, d.score)});
        }
        cases.push_back(std::move(c));
    }
    eval::EvaluationOptions options;
    options.thresholds = setup.fixed_thresholds;
    return {eval::evaluate(cases, setup.labels, options), eval::store_predictions(cases, setup.labels)};
}

}  // namespace apiary::train
