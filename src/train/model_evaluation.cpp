#include "train/model_evaluation.h"

#include <ctime>

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

Json evaluation_summary(const eval::Evaluation& ev, const std::string& version_arn, size_t training_images,
                        size_t testing_images) {
    char when[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    Json labels = Json::array(), names = Json::array();
    for (const auto& m : ev.labels) {
        names.push_back(m.label);
        labels.push_back({{"Label", m.label},
                          {"NumberOfTestingImages", m.test_images},
                          {"Metrics",
                           {{"F1Score", m.assumed.f1},
                            {"Precision", m.assumed.precision},
                            {"Recall", m.assumed.recall},
                            {"Threshold", m.assumed.threshold},
                            {"AveragePrecision", m.ap50}}}});
    }
    return {{"Version", 1},
            {"EvaluationDetails",
             {{"EvaluationEndTimestamp", when},
              {"Labels", names},
              {"NumberOfTrainingImages", training_images},
              {"NumberOfTestingImages", testing_images},
              {"ProjectVersionArn", version_arn}}},
            {"AggregatedEvaluationResults",
             {{"F1Score", ev.f1}, {"Precision", ev.precision}, {"Recall", ev.recall}, {"AveragePrecision", ev.ap50}}},
            {"LabelEvaluationResults", labels}};
}

}  // namespace apiary::train
