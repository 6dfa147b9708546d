#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "core/files.h"
#include "infer/detector_run.h"
#include "infer/model_artifact.h"
#include "infer/predictor.h"
#include "support/test_support.h"
#include "vision/synthetic.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

infer::ModelManifest manifest_for(const std::vector<std::string>& labels) {
    infer::ModelManifest m;
    m.labels = labels;
    m.input_size = 128;
    for (const auto& l : labels) m.thresholds[l] = 0.0;
    m.dataset_hash = "test";
    m.created_ms = 1;
    return m;
}

// Untrained, the box head's distances have random signs; make them a positive 32 px so every
// peak is a real box.
nn::CenterNet untrained_with_real_boxes(uint64_t seed) {
    torch::manual_seed(seed);
    nn::CenterNet net(1);
    torch::NoGradGuard no_grad;
    net->box_head->regressor->weight.zero_();
    net->box_head->regressor->bias.fill_(2.0);
    return net;
}

std::string error_of(const fs::path& dir) {
    try {
        infer::load_model(dir, torch::kCPU);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ModelArtifact, SaveLoadGivesIdenticalOutputs) {
    test::TempDir dir;
    torch::manual_seed(3);
    nn::CenterNet net(2);
    net->eval();
    infer::save_model(dir / "v1", net, manifest_for({"bee", "flower"}), {{"evaluation.json", "{}"}});
    auto loaded = infer::load_model(dir / "v1", torch::kCPU);
    EXPECT_EQ(loaded.manifest.labels, (std::vector<std::string>{"bee", "flower"}));
    EXPECT_EQ(loaded.manifest.input_size, 128);
    const auto input = torch::rand({1, 3, 128, 128}) * 255;
    torch::NoGradGuard no_grad;
    const auto a = net->forward(input), b = loaded.net->forward(input);
    EXPECT_TRUE(torch::equal(a.heatmap, b.heatmap));
    EXPECT_TRUE(torch::equal(a.boxes, b.boxes));
    EXPECT_THROW(infer::save_model(dir / "v1", net, manifest_for({"bee"})), Conflict);
}

TEST(ModelArtifact, DamagedOrPartialModelsGiveClearErrors) {
    test::TempDir dir;
    nn::CenterNet net(1);
    infer::save_model(dir / "v", net, manifest_for({"bee"}));
    fs::copy(dir / "v", dir / "missing-manifest", fs::copy_options::recursive);
    fs::remove(dir / "missing-manifest" / "model.json");
    EXPECT_NE(error_of(dir / "missing-manifest").find("incomplete"), std::string::npos);

    fs::copy(dir / "v", dir / "damaged", fs::copy_options::recursive);
    std::string weights = read_file(dir / "damaged" / "weights.pt");
    weights[weights.size() / 2] ^= 0x5a;
    write_file_atomic(dir / "damaged" / "weights.pt", weights);
    EXPECT_NE(error_of(dir / "damaged").find("checksum mismatch"), std::string::npos);

    fs::copy(dir / "v", dir / "bad-json", fs::copy_options::recursive);
    write_file_atomic(dir / "bad-json" / "model.json", "{\"format_version\": 1, \"labels\": ");
    EXPECT_NE(error_of(dir / "bad-json").find("not valid JSON"), std::string::npos);

    EXPECT_THROW(infer::load_model(dir / "nothing-here", torch::kCPU), NotFound);
}

TEST(DetectorRun, FlipTestAveragesAMirroredPass) {
    torch::manual_seed(1);
    nn::CenterNet net(1);
    net->eval();
    auto scene = vision::synthesize_scene(200, 150, 1, {"bee"});
    infer::RunOptions plain{128, 10, 0.0f, false}, flipped{128, 10, 0.0f, true};
    const auto a = infer::run_detector(*net, {scene.image}, plain);
    const auto b = infer::run_detector(*net, {scene.image}, flipped);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(a[0].size(), 10u);
    ASSERT_EQ(b[0].size(), 10u);
    for (const auto& d : a[0]) {
        EXPECT_GE(d.box.left, 0);
        EXPECT_LE(d.box.right(), 200.0 + 1e-3);
    }
}

// An untrained bee detector that keeps every peak (assumed threshold 0), saved under `dir` and loaded.
infer::Predictor untrained_bee_predictor(const std::filesystem::path& dir) {
    nn::CenterNet net = untrained_with_real_boxes(2);
    auto m = manifest_for({"bee"});
    m.thresholds["bee"] = 0.0;
    infer::save_model(dir / "v", net, m);
    return infer::Predictor::load(dir / "v", "cpu");
}

TEST(Predictor, ResponseHasTheDetectCustomLabelsShape) {
    test::TempDir dir;
    auto predictor = untrained_bee_predictor(dir.path());
    auto scene = vision::synthesize_scene(300, 200, 2, {"bee"});
    const auto all = predictor.detect(scene.image, {});
    ASSERT_FALSE(all.empty());
    const auto top3 = predictor.detect(scene.image, {0.0, 3, std::nullopt});
    ASSERT_EQ(top3.size(), 3u);
    EXPECT_GE(top3[0].confidence, top3[1].confidence);
    const auto none = predictor.detect(scene.image, {100.0, 0, std::nullopt});
    EXPECT_TRUE(none.empty());
    const Json j = infer::to_custom_labels_json(top3);
    const auto& label = j["CustomLabels"][0];
    EXPECT_EQ(label["Name"], "bee");
    EXPECT_GE(label["Confidence"].get<double>(), 0.0);
    EXPECT_LE(label["Confidence"].get<double>(), 100.0);
    const auto& box = label["Geometry"]["BoundingBox"];
    for (const char* k : {"Width", "Height", "Left", "Top"}) {
        EXPECT_GE(box[k].get<double>(), 0.0) << k;
        EXPECT_LE(box[k].get<double>(), 1.0) << k;
    }
}

TEST(Predictor, ALabelIsKeptAtMinConfidenceEqualToTheConfidenceItIsAnsweredWith) {
    // The answer's Confidence is rounded to 0.001; the filter compares that same number, so
    // asking again with MinConfidence = a label's answered Confidence keeps the label.
    EXPECT_DOUBLE_EQ(infer::reported_confidence(0.9429996), 94.3);
    EXPECT_DOUBLE_EQ(infer::reported_confidence(0.5), 50.0);
    test::TempDir dir;
    auto predictor = untrained_bee_predictor(dir.path());
    auto scene = vision::synthesize_scene(300, 200, 2, {"bee"});
    const auto all = predictor.detect(scene.image, {0.0, 5, std::nullopt});
    ASSERT_FALSE(all.empty());
    for (size_t i = 0; i < all.size(); ++i) {
        const double answered = infer::to_custom_labels_json(all)["CustomLabels"][i]["Confidence"].get<double>();
        const auto again = predictor.detect(scene.image, {answered, 0, std::nullopt});
        EXPECT_GE(again.size(), i + 1) << "MinConfidence " << answered;
    }
}

TEST(Predictor, ConfidenceIsTheModelsCalibratedScale) {
    test::TempDir dir;
    nn::CenterNet net = untrained_with_real_boxes(3);
    auto raw = manifest_for({"bee"});
    raw.max_detections = 7;
    infer::save_model(dir / "raw", net, raw);
    auto calibrated = raw;
    const eval::PlattScaling platt{2.0, 1.5};
    calibrated.calibration.set("bee", platt);
    infer::save_model(dir / "calibrated", net, calibrated);

    auto scene = vision::synthesize_scene(300, 200, 2, {"bee"});
    const auto a = infer::Predictor::load(dir / "raw", "cpu").detect(scene.image, {0.0, 0, std::nullopt});
    const auto b = infer::Predictor::load(dir / "calibrated", "cpu").detect(scene.image, {0.0, 0, std::nullopt});
    ASSERT_EQ(a.size(), 7u) << "max_detections peaks are decoded";
    ASSERT_EQ(b.size(), a.size());
    // Both answers are rounded to 0.001 (reported_confidence): b's rounding, plus a's through the
    // map's slope (at most 0.5 per unit for these parameters).
    for (size_t i = 0; i < a.size(); ++i)
        EXPECT_NEAR(b[i].confidence, 100 * platt.apply(a[i].confidence / 100), 1e-3);
    const auto loaded = infer::load_model(dir / "calibrated", torch::kCPU).manifest;
    EXPECT_DOUBLE_EQ(loaded.calibration.apply("bee", 0.3), platt.apply(0.3));
    EXPECT_EQ(loaded.max_detections, 7);
}
