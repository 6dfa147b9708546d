// End-to-end check of the pretrained import: the COCO CenterNet from human-models, rebuilt in
// libtorch, must find the objects in darknet's sample images, before any training.
// Skipped when the weights (scripts/fetch-weights.sh) or darknet's images are missing.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "nn/centernet_decode.h"
#include "nn/centernet_import.h"
#include "nn/coco.h"
#include "nn/pretrained.h"
#include "nn/runtime.h"

namespace apiary::nn {
namespace {

namespace fs = std::filesystem;

constexpr int kInput = 512;
const fs::path kDarknetData = "/usr/share/darknet/data";

// COCO ids (darknet coco.names order).
constexpr int64_t kPerson = 0, kBicycle = 1, kCar = 2, kTruck = 7, kDog = 16, kHorse = 17;

// `path` stretched to kInput × kInput, as [3, H, W] uint8 RGB, plus the transform back.
std::pair<torch::Tensor, ImageTransform> load_stretched(const fs::path& path) {
    const cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (bgr.empty()) throw std::runtime_error("cannot read " + path.string());
    cv::Mat resized, rgb;
    cv::resize(bgr, resized, cv::Size(kInput, kInput), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(resized, rgb, cv::COLOR_BGR2RGB);
    const torch::Tensor hwc = torch::from_blob(rgb.data, {kInput, kInput, 3}, torch::kUInt8).clone();
    return {hwc.permute({2, 0, 1}), ImageTransform::stretch(bgr.cols, bgr.rows, kInput, kInput)};
}

class CocoImport : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        configure_runtime();
        try {
            pretrained_model_json("centernet");
        } catch (const Error& e) {
            skip_reason_ = e.what();
            return;
        }
        net_ = std::make_unique<CenterNet>(load_pretrained_centernet(torch::kCPU));
    }
    static void TearDownTestSuite() { net_.reset(); }

    void SetUp() override {
        if (!net_) GTEST_SKIP() << skip_reason_;
        if (!fs::exists(kDarknetData / "dog.jpg") || !fs::exists(kDarknetData / "person.jpg"))
            GTEST_SKIP() << "darknet sample images not installed (apt-get install darknet)";
    }

    // Detections with score >= 0.2, printed for the record.
    static std::vector<Detection> detect(const std::string& image) {
        auto [rgb, transform] = load_stretched(kDarknetData / image);
        torch::NoGradGuard no_grad;
        const torch::Tensor input = to_network_input(rgb, (*net_)->device());
        const CenterNetOutput out = (*net_)->forward(input);
        DecodeOptions options;
        options.min_score = 0.2f;
        auto detections = decode_centernet(out, transform, options);
        std::cout << image << ":\n";
        for (const auto& d : detections)
            std::cout << "  " << coco_class_names()[static_cast<size_t>(d.class_id)] << " (" << d.class_id << ") "
                      << d.score << " [" << d.box.left << ", " << d.box.top << ", " << d.box.right() << ", "
                      << d.box.bottom() << "]\n";
        return detections;
    }

    // The best-overlapping detection of one of `classes`, or nullptr.
    static const Detection* best_match(const std::vector<Detection>& detections, std::vector<int64_t> classes,
                                       const Box& box) {
        const Detection* best = nullptr;
        for (const auto& d : detections)
            if (std::find(classes.begin(), classes.end(), d.class_id) != classes.end() &&
                (!best || iou(d.box, box) > iou(best->box, box)))
                best = &d;
        return best;
    }

    static void expect_found(const std::vector<Detection>& detections, std::vector<int64_t> classes, const Box& box,
                             const std::string& what, double min_iou = 0.5) {
        const Detection* d = best_match(detections, std::move(classes), box);
        ASSERT_NE(d, nullptr) << what << " not detected";
        EXPECT_GE(iou(d->box, box), min_iou) << what << " misplaced";
    }

    static inline std::unique_ptr<CenterNet> net_;
    static inline std::string skip_reason_;
};

TEST_F(CocoImport, FindsBicycleDogAndTruckInDogJpg) {
    const auto detections = detect("dog.jpg");
    // Boxes (original pixels) and score range that the TF.js model gives (ARCHITECTURE.md).
    const Box bicycle = Box::from_corners(110, 125, 564, 445);
    const Box dog = Box::from_corners(124, 207, 312, 542);
    const Box truck = Box::from_corners(472, 81, 683, 165);
    expect_found(detections, {kBicycle}, bicycle, "bicycle");
    expect_found(detections, {kDog}, dog, "dog");
    expect_found(detections, {kTruck, kCar}, truck, "truck/car");

    // Stronger: the import reproduces the TF.js numbers, not just roughly the right objects.
    for (const auto& [classes, box] : std::vector<std::pair<std::vector<int64_t>, Box>>{
             {{kBicycle}, bicycle}, {{kDog}, dog}, {{kTruck, kCar}, truck}}) {
        const Detection* d = best_match(detections, classes, box);
        ASSERT_NE(d, nullptr);
        EXPECT_GE(iou(d->box, box), 0.95) << "class " << d->class_id;
        EXPECT_GE(d->score, 0.3f) << "class " << d->class_id;
        EXPECT_LE(d->score, 0.6f) << "class " << d->class_id;
    }
}

TEST_F(CocoImport, FindsPersonDogAndHorseInPersonJpg) {
    const auto detections = detect("person.jpg");
    // By eye from the 640×424 image: the person (hat to boots), the dog on the left, the
    // grazing horse on the right.
    expect_found(detections, {kPerson}, Box::from_corners(189, 97, 276, 375), "person");
    expect_found(detections, {kDog}, Box::from_corners(64, 263, 204, 346), "dog");
    expect_found(detections, {kHorse}, Box::from_corners(405, 138, 603, 346), "horse");
    ASSERT_FALSE(detections.empty());
    EXPECT_EQ(detections.front().class_id, kPerson);  // the most confident detection
}

TEST_F(CocoImport, ForwardPassTime) {
    const torch::Tensor input = torch::rand({1, 3, kInput, kInput}) * 255;
    torch::NoGradGuard no_grad;
    (*net_)->forward(input);  // warm-up: oneDNN builds its kernels on the first call
    constexpr int kRuns = 5;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRuns; ++i) (*net_)->forward(input);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / kRuns;
    std::cout << "forward " << kInput << "x" << kInput << ": " << ms << " ms on " << at::get_num_threads()
              << " threads\n";
    RecordProperty("forward_ms", std::to_string(ms));
}

TEST_F(CocoImport, ImportChecksTheGraphAgainstTheModules) {
    TfjsGraph graph = read_tfjs_graph(pretrained_model_json("centernet"));

    // A network with another class count cannot take the COCO head.
    CenterNet three(3);
    EXPECT_THROW(import_centernet(*three, graph), Error);

    // A stride that disagrees with the module layout is reported with the node's name.
    for (auto& node : graph.nodes)
        if (node.name == "tower_0/MobilenetV3/expanded_conv_1/depthwise/depthwise")
            node.attrs["strides"].list_i = {1, 1, 1, 1};
    CenterNet net;
    try {
        import_centernet(*net, graph);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("expanded_conv_1/depthwise"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("centernet.json"), std::string::npos) << e.what();
    }
}

TEST_F(CocoImport, ReplacedHeadKeepsPretrainedBoxes) {
    // After replacing the heatmap head the box branch still gives the pretrained distances.
    auto [rgb, transform] = load_stretched(kDarknetData / "dog.jpg");
    const torch::Tensor input = to_network_input(rgb, torch::kCPU);
    CenterNet net = load_pretrained_centernet(torch::kCPU);
    torch::NoGradGuard no_grad;
    const torch::Tensor boxes_before = net->forward(input).boxes;
    net->replace_heatmap_head(1);
    const CenterNetOutput after = net->forward(input);
    EXPECT_EQ(after.heatmap.size(1), 1);
    EXPECT_TRUE(torch::allclose(after.boxes, boxes_before));
}

}  // namespace
}  // namespace apiary::nn
