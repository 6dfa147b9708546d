// Classification end to end on generated shape pictures (data/shape_classes.h): single-label,
// multi-label and an imbalanced set, trained through train_project as `apiary train` does,
// evaluated, stored and answered by the Predictor. 96 px inputs and 3 epochs keep each test to
// seconds; the quality target lives in bench/classifier_seeds.sh.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "data/import.h"
#include "data/shape_classes.h"
#include "infer/model_artifact.h"
#include "infer/predictor.h"
#include "nn/pretrained.h"
#include "support/test_support.h"
#include "train/project_training.h"
#include "vision/decode.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

class ClassifierTraining : public ::testing::Test {
protected:
    void SetUp() override {
        try {
            nn::pretrained_model_json("centernet");
        } catch (const Error&) {
            GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
        }
    }

    store::Catalog& project_from(const fs::path& source, const std::string& name) {
        data::ImportOptions options;
        if (fs::is_directory(source)) options.format = data::Format::Folder;
        const auto report = data::import_dataset(source, options);
        EXPECT_EQ(report.rejected(), 0u);
        catalogs.push_back(std::make_unique<store::Catalog>(store::DataDir(dir / ("data-" + name))));
        auto& c = *catalogs.back();
        c.import(c.create_project("shapes"), report, std::nullopt, "");
        return c;
    }

    static train::TrainRequest small_request() {
        train::TrainRequest r;
        r.config.epochs = 3;
        r.config.image_size = 96;
        r.config.batch = 8;
        r.config.threads = 2;
        r.version_name = "v1";
        r.device = "cpu";
        return r;
    }

    static const Json& label_of(const Json& evaluation, const std::string& name) {
        for (const auto& l : evaluation.at("labels"))
            if (l.at("label") == name) return l;
        throw std::runtime_error("no label " + name);
    }

    test::TempDir dir;
    std::vector<std::unique_ptr<store::Catalog>> catalogs;
};

}  // namespace

TEST_F(ClassifierTraining, SingleLabelTrainsEvaluatesAndAnswersWithoutGeometry) {
    data::write_shape_folders(dir / "shapes", {{"circle", 20}, {"square", 20}, {"triangle", 20}}, 96, 1);
    auto& catalog = project_from(dir / "shapes", "single");
    const auto r = train::train_project(catalog, "shapes", small_request());

    EXPECT_TRUE(r.split_created);
    EXPECT_EQ(r.test_images, 12u);  // 20% of each label's 20
    EXPECT_EQ(r.version.status, store::VersionStatus::TrainingCompleted);
    const Json& ev = r.evaluation;
    EXPECT_EQ(ev.at("task"), "classification");
    EXPECT_GE(ev.at("overall").at("accuracy").get<double>(), 0.9) << ev.at("classification").dump();
    EXPECT_GE(ev.at("overall").at("macro_f1").get<double>(), 0.9);
    const auto& rows = ev.at("classification").at("confusion_matrix").at("rows");
    size_t counted = 0;
    for (const auto& row : rows)
        for (const auto& n : row) counted += n.get<size_t>();
    EXPECT_EQ(counted, 12u);

    const fs::path version_dir = r.version.dir;
    const Json summary = Json::parse(read_file(version_dir / "evaluation-summary.json"));
    const auto& matrix = summary.at("AggregatedEvaluationResults").at("ConfusionMatrix");
    EXPECT_EQ(matrix.size(), 9u);  // every truth x predicted pair
    EXPECT_TRUE(matrix[0].contains("GroundTruthLabel") && matrix[0].contains("PredictedLabel"));
    EXPECT_EQ(summary.at("LabelEvaluationResults").size(), 3u);
    EXPECT_TRUE(fs::exists(version_dir / "predictions.json"));

    auto predictor = infer::Predictor::load(version_dir, "cpu", 2);
    EXPECT_EQ(predictor.manifest().task, "classification");
    const cv::Mat square = vision::decode_image_file(dir / "shapes/square/square-0001.jpg");
    const auto all = predictor.detect(square, {0.0, 0, std::nullopt});
    ASSERT_EQ(all.size(), 3u);  // every label at MinConfidence 0, best first
    EXPECT_EQ(all[0].name, "square");
    EXPECT_GE(all[0].confidence, all[1].confidence);
    const auto best = predictor.detect(square, {0.0, 1, std::nullopt});
    ASSERT_EQ(best.size(), 1u);
    const Json response = infer::to_custom_labels_json(best);
    EXPECT_EQ(response.at("CustomLabels")[0].at("Name"), "square");
    EXPECT_FALSE(response.at("CustomLabels")[0].contains("Geometry"));
    // The default: each label's assumed threshold, the F1-optimal one on the test set, which here
    // (every test picture right) is its least confident right answer: every test square passes.
    // (A training picture may score just under it: the threshold sits at the edge of the test
    // scores, not between the right and wrong ones.)
    size_t test_squares = 0;
    for (const auto& e : catalog.entries(catalog.dataset(catalog.project("shapes"), "test"))) {
        if (e.labels != std::vector<std::string>{"square"}) continue;
        ++test_squares;
        const auto assumed = predictor.detect(vision::decode_image_file(e.image_path));
        ASSERT_FALSE(assumed.empty()) << e.source_ref << ", thresholds " << Json(predictor.manifest().thresholds).dump();
        EXPECT_EQ(assumed[0].name, "square") << e.source_ref;
    }
    EXPECT_EQ(test_squares, 4u);
}

TEST_F(ClassifierTraining, MultiLabelLearnsEachLabelOnItsOwn) {
    const auto manifest = data::write_shape_multilabel(dir / "multi", 80, 3, 96, 2);
    auto& catalog = project_from(manifest, "multi");
    auto request = small_request();
    request.config.epochs = 4;
    const auto r = train::train_project(catalog, "shapes", request);
    const Json& ev = r.evaluation;
    EXPECT_EQ(ev.at("task"), "multi-label-classification");
    EXPECT_FALSE(ev.at("classification").contains("confusion_matrix"));
    EXPECT_GE(ev.at("overall").at("macro_f1").get<double>(), 0.8) << ev.at("overall").dump();
    for (const auto& l : ev.at("labels")) EXPECT_GE(l.at("ap50").get<double>(), 0.7) << l.at("label");
    const Json summary = Json::parse(read_file(fs::path(r.version.dir) / "evaluation-summary.json"));
    EXPECT_FALSE(summary.at("AggregatedEvaluationResults").contains("ConfusionMatrix"));
    const auto model = infer::load_model(r.version.dir, torch::kCPU);
    EXPECT_EQ(model.manifest.task, "multi-label-classification");
    EXPECT_TRUE(model.classifier);
}

TEST_F(ClassifierTraining, RareLabelKeepsItsRecall) {
    // triangle is 10x rarer than the others in training; the class-balanced loss must still
    // find it. The test set is balanced (10 of each), so its assumed thresholds and recall are
    // measured on more than one rare picture.
    data::write_shape_folders(dir / "imbalanced", {{"circle", 50}, {"square", 50}, {"triangle", 5}}, 96, 3);
    data::write_shape_folders(dir / "imbalanced", {{"circle", 10}, {"square", 10}, {"triangle", 10}}, 96, 99, "test-");
    data::ImportOptions options;
    options.format = data::Format::Folder;
    auto all = data::import_dataset(dir / "imbalanced", options);
    data::ImportReport train = all, test = all;
    std::erase_if(train.entries, [](const auto& e) { return e.source_ref.find("/test-") != std::string::npos; });
    std::erase_if(test.entries, [](const auto& e) { return e.source_ref.find("/test-") == std::string::npos; });
    ASSERT_EQ(test.entries.size(), 30u);
    catalogs.push_back(std::make_unique<store::Catalog>(store::DataDir(dir / "data-imbalanced")));
    auto& catalog = *catalogs.back();
    const auto project = catalog.create_project("shapes");
    catalog.import(project, train, std::nullopt, "");
    catalog.import(project, test, std::string("test"), "");
    auto request = small_request();
    request.config.epochs = 4;
    const auto r = train::train_project(catalog, "shapes", request);
    ASSERT_EQ(r.version.status, store::VersionStatus::TrainingCompleted);
    EXPECT_FALSE(r.split_created);
    const Json& triangle = label_of(r.evaluation, "triangle");
    EXPECT_GE(triangle.at("assumed").at("recall").get<double>(), 0.8) << triangle.at("assumed").dump();
}

TEST_F(ClassifierTraining, InterruptedRunResumesToTheSameModel) {
    data::write_shape_folders(dir / "shapes", {{"circle", 12}, {"square", 12}}, 96, 4);
    auto request = small_request();
    request.config.epochs = 2;
    auto& straight = project_from(dir / "shapes", "straight");
    const auto whole = train::train_project(straight, "shapes", request);

    auto& stopped = project_from(dir / "shapes", "stopped");
    std::atomic<bool> stop{false};
    train::TrainerCallbacks cb;
    cb.on_epoch = [&](const train::EpochReport&) { stop = true; };
    const auto first = train::train_project(stopped, "shapes", request, cb, &stop);
    ASSERT_TRUE(first.interrupted);
    EXPECT_EQ(first.epochs_run, 1);
    auto resume = request;
    resume.resume = true;
    const auto second = train::train_project(stopped, "shapes", resume);
    EXPECT_FALSE(second.interrupted);
    EXPECT_EQ(second.epochs_run, 2);
    EXPECT_EQ(second.evaluation.at("overall").dump(), whole.evaluation.at("overall").dump());
}
