// A classification project through the apiary binary: `demo-data --shapes`, folder-per-label
// import, train, describe, evaluate, detect, draw and pipeline watch, with a tiny training (the quality target
// lives in bench/). Every answer is checked against another: detect's live confidences against
// the stored predictions, evaluate --min-confidence against detect, describe against
// evaluation.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>

#include "core/json.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

constexpr int kPerLabel = 10;  // pictures per label (three labels)

Json read_json(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return Json::parse(s.str());
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class ClassifierCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir();
        const auto demo = run("--json demo-data " + (dir_->path() / "shapes").string() + " --shapes --images " +
                                  std::to_string(kPerLabel),
                              false);
        ASSERT_EQ(demo.status, 0) << demo.output;
        ASSERT_EQ(run("project create shapes").status, 0);
        const auto imported =
            run("dataset import shapes --source " + (dir_->path() / "shapes").string() + " --format folder");
        ASSERT_EQ(imported.status, 0) << imported.output;
        // stdout is the JSON answer; the progress lines go to stderr, kept apart to be read.
        train_ = new test::CommandResult(run("--json train shapes --version-name v1 --epochs 2 --image-size 64 "
                                             "--batch 8 --threads 2 2> " +
                                                 (dir_->path() / "progress.txt").string(),
                                             false));
    }
    static void TearDownTestSuite() {
        delete train_;
        delete dir_;
    }

    static test::CommandResult run(const std::string& args, bool merge = true) {
        return test::run_command(test::apiary_binary() + " --data-dir " + (dir_->path() / "data").string() + " " + args,
                                 merge);
    }
    static fs::path model_file(const std::string& name) { return dir_->path() / "data/models/shapes/v1" / name; }
    // The stored test predictions: image (relative to the import folder) → label → confidence 0..1.
    static std::map<std::string, std::map<std::string, double>> stored_predictions() {
        std::map<std::string, std::map<std::string, double>> out;
        const Json predictions = read_json(model_file("predictions.json"));  // outlives the loop
        for (const auto& image : predictions["images"])
            for (const auto& d : image["detections"])
                out[image["image"].get<std::string>()][d[0].get<std::string>()] = d[2].get<double>();
        return out;
    }
    static Json detect(const fs::path& image, const std::string& extra = "") {
        const auto r = run("detect --project shapes " + image.string() + " " + extra, false);
        EXPECT_EQ(r.status, 0) << r.output;
        return Json::parse(r.output)["CustomLabels"];
    }
    // One `detect --jsonl` over the stored test images (one model load): image → CustomLabels.
    static std::map<std::string, Json> detect_test_images(const std::string& extra) {
        std::string images;
        for (const auto& [image, c] : stored_predictions()) {
            images += ' ';  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on " " + string&&
            images += (dir_->path() / "shapes" / image).string();
        }
        const auto r = run("detect --project shapes --jsonl " + extra + images, false);
        EXPECT_EQ(r.status, 0) << r.output;
        std::map<std::string, Json> out;
        std::istringstream lines(r.output);
        for (std::string line; std::getline(lines, line);) {
            const Json j = Json::parse(line);
            out[fs::path(j["Image"].get<std::string>()).lexically_relative(dir_->path() / "shapes").string()] =
                j["CustomLabels"];
        }
        return out;
    }

    // The checks, each against one trained model; two tests run them (one training each, as
    // every test is a process of its own under CTest).
    static void TrainsAClassifierAndItsProgressNamesItsMetric();
    static void DescribePrintsTheStoredAccuracyAndConfusionMatrix();
    static void DetectAnswersTheStoredPredictionsWithoutGeometry();
    static void EvaluateAtAConfidenceCountsWhatDetectAnswers();
    static void DrawWritesTheLabelsOnThePicture();
    static void PipelineWatchAnswersImagesAsDetectDoes();

    static test::TempDir* dir_;
    static test::CommandResult* train_;
};
test::TempDir* ClassifierCli::dir_ = nullptr;
test::CommandResult* ClassifierCli::train_ = nullptr;

}  // namespace

TEST_F(ClassifierCli, TrainsDescribesAndEvaluates) {
    ASSERT_EQ(train_->status, 0) << train_->output;
    for (const auto& [name, check] : {std::pair{"train", &TrainsAClassifierAndItsProgressNamesItsMetric},
                                      {"describe", &DescribePrintsTheStoredAccuracyAndConfusionMatrix},
                                      {"evaluate", &EvaluateAtAConfidenceCountsWhatDetectAnswers}}) {
        SCOPED_TRACE(name);
        check();
    }
}

TEST_F(ClassifierCli, DetectsDrawsAndWatches) {
    ASSERT_EQ(train_->status, 0) << train_->output;
    for (const auto& [name, check] : {std::pair{"detect", &DetectAnswersTheStoredPredictionsWithoutGeometry},
                                      {"draw", &DrawWritesTheLabelsOnThePicture},
                                      {"pipeline watch", &PipelineWatchAnswersImagesAsDetectDoes}}) {
        SCOPED_TRACE(name);
        check();
    }
}

void ClassifierCli::TrainsAClassifierAndItsProgressNamesItsMetric() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const Json j = Json::parse(train_->output);
    EXPECT_EQ(j["Status"], "TRAINING_COMPLETED");
    EXPECT_EQ(j["TestImages"], 3 * kPerLabel / 5);  // each label sends 20% of its pictures to test
    EXPECT_EQ(j["TrainImages"].get<int>() + j["ValidationImages"].get<int>() + j["TestImages"].get<int>(),
              3 * kPerLabel);
    ASSERT_GT(j["ValidationImages"].get<int>(), 0) << "no validation measure to name";
    EXPECT_TRUE(j["Evaluation"].contains("accuracy"));
    EXPECT_TRUE(j["Evaluation"].contains("macro_f1"));
    const Json model = read_json(model_file("model.json"));
    EXPECT_EQ(model["architecture"], "classifier-mobilenetv3-large");

    // The validation measure of a classifier is its labels' mean AP over whole images: no boxes,
    // no IoU, no heatmap or box loss.
    const std::string progress = read_text((dir_->path() / "progress.txt").string());
    EXPECT_NE(progress.find("val mean AP "), std::string::npos) << progress;
    EXPECT_EQ(progress.find("AP50"), std::string::npos) << progress;
    EXPECT_EQ(progress.find("heatmap"), std::string::npos) << progress;
}

void ClassifierCli::DescribePrintsTheStoredAccuracyAndConfusionMatrix() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const Json evaluation = read_json(model_file("evaluation.json"));
    int cells = 0;
    for (const auto& row : evaluation["classification"]["confusion_matrix"]["rows"])
        for (const auto& v : row) cells += v.get<int>();
    EXPECT_EQ(cells, 3 * kPerLabel / 5);  // one cell per test image

    const auto described = run("describe shapes --version v1");
    ASSERT_EQ(described.status, 0) << described.output;
    char accuracy[64];
    std::snprintf(accuracy, sizeof accuracy, "top-1 accuracy %.3f",
                  evaluation["overall"]["accuracy"].get<double>());
    EXPECT_NE(described.output.find(accuracy), std::string::npos) << described.output;
    EXPECT_NE(described.output.find("confusion matrix"), std::string::npos) << described.output;

    // Evaluating again gives the stored accuracy and macro F1.
    const auto again = run("--json evaluate shapes --version v1", false);
    ASSERT_EQ(again.status, 0) << again.output;
    const Json overall = Json::parse(again.output)["Evaluation"]["overall"];
    EXPECT_DOUBLE_EQ(overall["accuracy"].get<double>(), evaluation["overall"]["accuracy"].get<double>());
    EXPECT_NEAR(overall["macro_f1"].get<double>(), evaluation["overall"]["macro_f1"].get<double>(), 1e-9);
}

void ClassifierCli::DetectAnswersTheStoredPredictionsWithoutGeometry() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const auto stored = stored_predictions();
    ASSERT_EQ(stored.size(), size_t(3 * kPerLabel / 5));
    const auto answers = detect_test_images("--min-confidence 0");
    ASSERT_EQ(answers.size(), stored.size());
    for (const auto& [image, confidences] : stored) {
        ASSERT_TRUE(answers.count(image)) << image;
        const Json& labels = answers.at(image);
        ASSERT_EQ(labels.size(), 3u) << image;
        for (size_t i = 0; i < labels.size(); ++i) {
            EXPECT_FALSE(labels[i].contains("Geometry")) << labels[i];
            if (i > 0) {
                EXPECT_GE(labels[i - 1]["Confidence"].get<double>(), labels[i]["Confidence"].get<double>());
            }
            const auto name = labels[i]["Name"].get<std::string>();
            ASSERT_TRUE(confidences.count(name)) << image << " " << name;
            EXPECT_NEAR(labels[i]["Confidence"].get<double>(), 100 * confidences.at(name), 0.01) << image << " " << name;
        }
    }
    const Json one = detect(dir_->path() / "shapes" / stored.begin()->first, "--min-confidence 0 --max-results 1");
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0], answers.at(stored.begin()->first)[0]);
}

void ClassifierCli::EvaluateAtAConfidenceCountsWhatDetectAnswers() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    // A threshold between the stored confidences (never on one): the median's gap midpoint.
    const auto stored = stored_predictions();
    std::vector<double> all;
    for (const auto& [image, c] : stored)
        for (const auto& [label, v] : c) all.push_back(100 * v);
    std::sort(all.begin(), all.end());
    const double at = (all[all.size() / 2 - 1] + all[all.size() / 2]) / 2;
    ASSERT_GT(all[all.size() / 2] - all[all.size() / 2 - 1], 0.02) << "two confidences too close to split";

    std::map<std::string, int> kept, truth;  // per label: images detect keeps at `at`, test images
    for (const auto& [image, c] : stored) ++truth[fs::path(image).parent_path().string()];  // the folder is the label
    for (const auto& [image, labels] : detect_test_images("--min-confidence " + std::to_string(at)))
        for (const auto& l : labels) ++kept[l["Name"].get<std::string>()];
    const auto out = run("--json evaluate shapes --version v1 --min-confidence " + std::to_string(at), false);
    ASSERT_EQ(out.status, 0) << out.output;
    const Json labels = Json::parse(out.output)["Evaluation"]["labels"];
    ASSERT_EQ(labels.size(), 3u);
    for (const auto& l : labels) {
        const auto name = l["label"].get<std::string>();
        const Json& a = l["assumed"];
        EXPECT_EQ(a["true_positives"].get<int>() + a["false_positives"].get<int>(), kept[name]) << name << " at " << at;
        EXPECT_EQ(a["true_positives"].get<int>() + a["false_negatives"].get<int>(), truth[name]) << name;
    }
}

void ClassifierCli::DrawWritesTheLabelsOnThePicture() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const auto image = dir_->path() / "shapes/square/square-0001.jpg";
    const auto out = dir_->path() / "drawn.png";
    const auto drawn = run("draw --project shapes " + image.string() + " --min-confidence 0 --out " + out.string());
    ASSERT_EQ(drawn.status, 0) << drawn.output;
    EXPECT_NE(drawn.output.find("3 labels"), std::string::npos) << drawn.output;
    const cv::Mat before = cv::imread(image.string()), after = cv::imread(out.string());
    ASSERT_FALSE(after.empty());
    ASSERT_EQ(after.size(), before.size());
    // Captions at the top left, "label 41.6%" one per line; the rest of the picture untouched
    // (beyond the PNG's exact copy of the decoded JPEG).
    const cv::Rect captions(0, 0, before.cols / 3, 12);
    const cv::Rect rest(0, before.rows / 2, before.cols, before.rows / 2);
    EXPECT_GT(cv::norm(before(captions), after(captions), cv::NORM_L1) / captions.area(), 10.0);
    EXPECT_EQ(cv::norm(before(rest), after(rest), cv::NORM_INF), 0.0);
}

void ClassifierCli::PipelineWatchAnswersImagesAsDetectDoes() {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const fs::path watched = dir_->path() / "watched";
    fs::create_directories(watched);
    fs::copy_file(dir_->path() / "shapes/circle/circle-0002.jpg", watched / "before.jpg");  // there at start
    const std::string log = (dir_->path() / "watch.log").string();
    std::string command = "(";  // built piecewise: GCC 12 warns falsely (-Wrestrict) on "(" + string&&
    command += test::apiary_binary() + " --data-dir " + (dir_->path() / "data").string() + " pipeline watch " +
               watched.string() + " --model shapes/v1 --min-confidence 0 > " + log + " 2>&1 & echo $!)";
    const auto started = test::run_command(command, false);
    ASSERT_EQ(started.status, 0);
    const std::string pid = started.output.substr(0, started.output.find('\n'));
    // A new image arrives as uploaders write: a temporary name, then a rename.
    fs::copy_file(dir_->path() / "shapes/triangle/triangle-0002.jpg", watched / ".incoming.tmp");
    fs::rename(watched / ".incoming.tmp", watched / "after.jpg");
    for (int i = 0; i < 600 && !(fs::exists(watched / "before.jpg.json") && fs::exists(watched / "after.jpg.json")); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    test::run_command("kill -TERM " + pid);
    for (const char* name : {"before.jpg", "after.jpg"}) {
        const fs::path result = watched / (std::string(name) + ".json");
        ASSERT_TRUE(fs::exists(result)) << name << "\n" << read_text(log);
        const Json expected = detect(watched / name, "--min-confidence 0");
        const Json got = read_json(result);
        EXPECT_EQ(got, Json({{"CustomLabels", expected}})) << name;
        ASSERT_EQ(got["CustomLabels"].size(), 3u) << got;
        for (const auto& l : got["CustomLabels"]) EXPECT_FALSE(l.contains("Geometry")) << l;
    }
    EXPECT_FALSE(fs::exists(watched / ".incoming.tmp.json"));
}
