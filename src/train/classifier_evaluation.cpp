#include "train/classifier_evaluation.h"

#include "eval/reference_summary.h"
#include "infer/classifier_run.h"
#include "vision/decode.h"

namespace apiary::train {

ClassifierEvaluation evaluate_classifier(nn::ClassifierImpl& net, const std::vector<data::Entry>& entries,
                                         const EvaluationSetup& setup) {
    net.eval();
    const auto limits = vision::DecodeLimits::for_dataset_images();
    std::vector<eval::ImageCase> cases;
    for (const auto& e : entries) {
        const cv::Mat img = vision::decode_image_file(e.image_path, limits);
        auto scores = infer::run_classifier(net, {img}, setup.input_size).at(0);
        for (size_t i = 0; i < scores.size(); ++i) scores[i] = setup.calibration.apply(setup.labels.at(i), scores[i]);
        cases.push_back(eval::classification_case(e.source_ref, img.cols, img.rows, e.labels, scores, setup.labels));
    }
    eval::EvaluationOptions options;
    options.thresholds = setup.fixed_thresholds;
    ClassifierEvaluation out;
    out.network = {eval::evaluate(cases, setup.labels, options), eval::store_predictions(cases, setup.labels)};
    out.metrics = eval::classification_metrics(cases, setup.labels, net.multi_label(), out.network.evaluation);
    return out;
}

Json ClassifierEvaluation::to_json() const {
    Json j = network.evaluation.to_json();
    j["task"] = metrics.multi_label ? "multi-label-classification" : "classification";
    j["overall"]["accuracy"] = metrics.accuracy;
    j["overall"]["macro_f1"] = metrics.macro_f1;
    j["classification"] = metrics.to_json();
    return j;
}

Json classification_summary(const ClassifierEvaluation& ev, const std::string& version_arn, size_t training_images,
                            size_t testing_images) {
    Json summary = eval::reference_summary(ev.network.evaluation, version_arn, training_images, testing_images);
    if (!ev.metrics.multi_label)
        summary["AggregatedEvaluationResults"]["ConfusionMatrix"] = ev.metrics.reference_confusion_matrix();
    return summary;
}

}  // namespace apiary::train
