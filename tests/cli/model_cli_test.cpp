// train → describe → evaluate → detect → draw through the apiary binary, on a tiny generated
// dataset with a very short training (quality targets live in bench/), and detect's errors.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <opencv2/imgcodecs.hpp>

#include "core/files.h"
#include "core/json.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

class ModelCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir();
        const std::string base = test::apiary_binary() + " --data-dir " + (dir_->path() / "data").string() + " ";
        auto demo = test::run_command(base + "--json demo-data " + (dir_->path() / "demo").string() + " --images 12", false);
        ASSERT_EQ(demo.status, 0) << demo.output;
        const Json d = Json::parse(demo.output);
        ASSERT_EQ(test::run_command(base + "project create bees").status, 0);
        ASSERT_EQ(test::run_command(base + "dataset import bees --manifest " + d["Manifest"].get<std::string>() +
                                    " --map " + d["Map"].get<std::string>())
                      .status,
                  0);
        train_ = new test::CommandResult(test::run_command(
            base + "--json train bees --version-name v1 --epochs 1 --image-size 128 --batch 4 --threads 2", false));
    }
    static void TearDownTestSuite() {
        delete train_;
        delete dir_;
    }

    test::CommandResult run(const std::string& args, bool merge = true) {
        return test::run_command(test::apiary_binary() + " --data-dir " + (dir_->path() / "data").string() + " " + args,
                                 merge);
    }
    fs::path path(const std::string& name) { return dir_->path() / name; }

    static test::TempDir* dir_;
    static test::CommandResult* train_;
};
test::TempDir* ModelCli::dir_ = nullptr;
test::CommandResult* ModelCli::train_ = nullptr;

}  // namespace

TEST_F(ModelCli, TrainReportsAVersionWithAnEvaluation) {
    ASSERT_EQ(train_->status, 0) << train_->output;
    const Json j = Json::parse(train_->output);
    EXPECT_EQ(j["Status"], "TRAINING_COMPLETED");
    EXPECT_EQ(j["TestImages"], 2);  // 80/20 split made automatically
    EXPECT_TRUE(j["Evaluation"].contains("f1"));
    auto described = run("describe bees --version v1");
    EXPECT_EQ(described.status, 0);
    EXPECT_NE(described.output.find("THRESHOLD"), std::string::npos) << described.output;
    auto listed = run("--json describe bees", false);
    EXPECT_EQ(Json::parse(listed.output)["ProjectVersionDescriptions"][0]["Status"], "TRAINING_COMPLETED");
    auto evaluated = run("--json evaluate bees --version v1", false);
    ASSERT_EQ(evaluated.status, 0) << evaluated.output;
    EXPECT_EQ(Json::parse(evaluated.output)["Images"], 2);
}

TEST_F(ModelCli, DetectPrintsTheDetectCustomLabelsShape) {
    ASSERT_EQ(train_->status, 0);
    const auto image = (path("demo") / "images" / "00001.jpg").string();
    auto r = run("detect --project bees " + image + " --min-confidence 0 --max-results 3", false);
    ASSERT_EQ(r.status, 0) << r.output;
    const Json j = Json::parse(r.output);
    ASSERT_EQ(j.size(), 1u);
    ASSERT_EQ(j["CustomLabels"].size(), 3u);
    const auto& first = j["CustomLabels"][0];
    EXPECT_TRUE(first["Name"] == "bee" || first["Name"] == "flower");
    EXPECT_GE(first["Confidence"].get<double>(), j["CustomLabels"][1]["Confidence"].get<double>());
    for (const char* k : {"Width", "Height", "Left", "Top"}) EXPECT_TRUE(first["Geometry"]["BoundingBox"].contains(k));

    auto many = run("detect --project bees --jsonl --min-confidence 0 " + (path("demo") / "images").string(), false);
    ASSERT_EQ(many.status, 0);
    size_t lines = 0;
    for (char c : many.output) lines += c == '\n';
    EXPECT_EQ(lines, 12u);
}

TEST_F(ModelCli, DrawWritesAnAnnotatedPicture) {
    ASSERT_EQ(train_->status, 0);
    const auto out = path("annotated.png");
    auto r = run("draw --project bees " + (path("demo") / "images" / "00002.jpg").string() +
                 " --min-confidence 0 --max-results 2 --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.output;
    const cv::Mat drawn = cv::imread(out.string()), original = cv::imread((path("demo") / "images" / "00002.jpg").string());
    ASSERT_FALSE(drawn.empty());
    EXPECT_EQ(drawn.size(), original.size());
    EXPECT_GT(cv::norm(drawn, original, cv::NORM_L1), 0.0);  // boxes were drawn
}

TEST_F(ModelCli, BadImagesGetClearErrors) {
    ASSERT_EQ(train_->status, 0);
    test::write_text(path("notes.jpg"), "this is not a picture");
    test::write_test_image(path("whole.jpg"), 300, 200);
    const std::string bytes = read_file(path("whole.jpg"));
    test::write_text(path("truncated.jpg"), bytes.substr(0, bytes.size() / 2));
    test::write_test_image(path("dot.png"), 1, 1);
    cv::imwrite(path("huge.png").string(), cv::Mat(10000, 10000, CV_8UC3, cv::Scalar(0, 0, 0)));
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"notes.jpg", "not an image"}, {"truncated.jpg", "truncated"}, {"dot.png", "1x1"}, {"huge.png", "10000x10000"}};
    for (const auto& [name, reason] : cases) {
        auto r = run("detect --project bees " + path(name).string());
        EXPECT_EQ(r.status, 1) << name;
        EXPECT_NE(r.output.find(name), std::string::npos) << r.output;
        EXPECT_NE(r.output.find(reason), std::string::npos) << r.output;
    }
}

TEST_F(ModelCli, PipelineWatchAnswersImagesAsDetectDoes) {
    ASSERT_EQ(train_->status, 0);
    const fs::path watched = path("watched");
    fs::create_directories(watched);
    fs::copy_file(path("demo") / "images" / "00003.jpg", watched / "before.jpg");  // there at start
    const std::string log = path("watch.log").string();
    std::string command = "(";  // built piecewise: GCC 12 warns falsely (-Wrestrict) on "(" + string&&
    command += test::apiary_binary() + " --data-dir " + (dir_->path() / "data").string() + " pipeline watch " +
               watched.string() + " --model bees/v1 --min-confidence 0 > " + log + " 2>&1 & echo $!)";
    auto started = test::run_command(command, false);
    ASSERT_EQ(started.status, 0);
    const std::string pid = started.output.substr(0, started.output.find('\n'));
    // A new image arrives the way uploaders write: a temporary name, then a rename.
    fs::copy_file(path("demo") / "images" / "00004.jpg", watched / ".incoming.tmp");
    fs::rename(watched / ".incoming.tmp", watched / "after.jpg");
    for (int i = 0; i < 300 && !(fs::exists(watched / "before.jpg.json") && fs::exists(watched / "after.jpg.json")); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    test::run_command("kill -TERM " + pid);
    ASSERT_TRUE(fs::exists(watched / "after.jpg.json")) << read_file(log);
    for (const char* name : {"before.jpg", "after.jpg"}) {
        auto expected = run("detect --project bees --min-confidence 0 " + (watched / name).string(), false);
        ASSERT_EQ(expected.status, 0);
        EXPECT_EQ(Json::parse(read_file(watched / (std::string(name) + ".json"))), Json::parse(expected.output)) << name;
    }
    EXPECT_FALSE(fs::exists(watched / ".incoming.tmp.json"));
    EXPECT_FALSE(fs::exists(watched / "after.jpg.json.json"));
}

TEST_F(ModelCli, StoredPredictionsAnswerAnyThresholdAndDrawEachTestImage) {
    ASSERT_EQ(train_->status, 0);
    auto all = run("--json evaluate bees --version v1 --min-confidence 0", false);
    ASSERT_EQ(all.status, 0) << all.output;
    const Json a = Json::parse(all.output);
    EXPECT_EQ(a["Images"], 2);
    EXPECT_EQ(a["MinConfidence"], 0.0);
    const auto described = Json::parse(run("--json describe bees --version v1", false).output)["Evaluation"];
    for (size_t i = 0; i < a["Evaluation"]["labels"].size(); ++i) {
        const auto& point = a["Evaluation"]["labels"][i]["assumed"];
        // Every truth box is found or missed, at any threshold.
        EXPECT_EQ(point["true_positives"].get<size_t>() + point["false_negatives"].get<size_t>(),
                  described["labels"][i]["truth_boxes"].get<size_t>());
    }
    const Json none = Json::parse(run("--json evaluate bees --version v1 --min-confidence 100", false).output);
    for (const auto& l : none["Evaluation"]["labels"]) EXPECT_EQ(l["assumed"]["false_positives"], 0);
    // At the assumed thresholds the stored predictions give the evaluation's own figures.
    const Json assumed = Json::parse(run("--json evaluate bees --version v1 --plot " + path("plots").string(), false).output);
    for (size_t i = 0; i < described["labels"].size(); ++i)
        for (const char* k : {"true_positives", "false_positives", "false_negatives"})
            EXPECT_EQ(assumed["Evaluation"]["labels"][i]["assumed"][k], described["labels"][i]["assumed"][k]) << k;
    const cv::Mat reliability = cv::imread((path("plots") / "reliability.png").string());
    EXPECT_EQ(reliability.cols, 720);
    EXPECT_FALSE(cv::imread((path("plots") / "pr-bee.png").string()).empty());

    const std::string image = assumed["Evaluation"]["images"][0]["image"];
    auto drawn = run("--json draw --project bees --version v1 --evaluation " + image + " --out " +
                         path("judged.png").string(), false);
    ASSERT_EQ(drawn.status, 0) << drawn.output;
    const auto& counts = assumed["Evaluation"]["images"][0];
    EXPECT_EQ(Json::parse(drawn.output)["Boxes"].size(), counts["true_positives"].get<size_t>() +
                                                             counts["false_positives"].get<size_t>() +
                                                             counts["false_negatives"].get<size_t>());
    EXPECT_FALSE(cv::imread(path("judged.png").string()).empty());
    auto unknown = run("draw --project bees --evaluation no-such.jpg");
    EXPECT_NE(unknown.status, 0);
    EXPECT_NE(unknown.output.find("no-such.jpg"), std::string::npos) << unknown.output;
}
