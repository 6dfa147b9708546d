// apiary detect | draw: a model version run on images, as DetectCustomLabels answers.
#include <algorithm>
#include <cstdio>
#include <map>
#include <iostream>
#include <memory>
#include <opencv2/imgcodecs.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "infer/predictor.h"
#include "train/outcome_picture.h"
#include "train/stored_evaluation.h"
#include "vision/decode.h"
#include "vision/draw.h"
#include "vision/draw_labels.h"

namespace apiary::cli {
namespace fs = std::filesystem;
namespace {

struct DetectArgs {
    std::string project, version;
    std::vector<std::string> inputs;
    double min_confidence = -1;  // < 0: each label's assumed threshold
    size_t max_results = 0;
    bool jsonl = false;
    std::string out;
    std::string evaluation_image;  // draw --evaluation: a test image, from the stored predictions
};

infer::DetectOptions detect_options(const DetectArgs& a) {
    infer::DetectOptions o;
    if (a.min_confidence >= 0) o.min_confidence = a.min_confidence;
    o.max_results = a.max_results;
    return o;
}

infer::Predictor load_predictor(Context& ctx, const DetectArgs& a) {
    auto& catalog = ctx.catalog();
    const auto project = catalog.project(a.project);
    const auto v = a.version.empty() ? catalog.latest_completed_version(project) : catalog.version(project, a.version);
    using store::VersionStatus;
    if (v.status != VersionStatus::TrainingCompleted && v.status != VersionStatus::Running &&
        v.status != VersionStatus::Stopped)
        throw Error("model version '" + v.name + "' is " + to_string(v.status) + ", not trained");
    return infer::Predictor::load(v.dir);
}

bool is_image_name(const fs::path& p) {
    const std::string ext = ascii_lowercase(p.extension().string());
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

// Files as given; folders expand to their JPEG/PNG files, sorted.
std::vector<fs::path> expand(const std::vector<std::string>& inputs) {
    std::vector<fs::path> out;
    for (const auto& in : inputs) {
        if (fs::is_directory(in)) {
            std::vector<fs::path> found;
            for (const auto& f : fs::directory_iterator(in))
                if (f.is_regular_file() && is_image_name(f.path())) found.push_back(f.path());
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else {
            out.emplace_back(in);
        }
    }
    return out;
}

void run_detect(Context& ctx, const DetectArgs& a) {
    auto predictor = load_predictor(ctx, a);
    const auto images = expand(a.inputs);
    const bool lines = a.jsonl || images.size() != 1;
    size_t failed = 0;
    for (const auto& path : images) {
        Json response;
        try {
            response = infer::to_custom_labels_json(predictor.detect(vision::decode_image_file(path), detect_options(a)));
        } catch (const Error& e) {
            ++failed;
            std::cerr << "error: " << e.what() << "\n";
            if (lines) std::cout << Json{{"Image", path.string()}, {"Error", e.reason()}}.dump() << "\n";
            continue;
        }
        if (lines)
            std::cout << Json{{"Image", path.string()}, {"CustomLabels", response["CustomLabels"]}}.dump() << "\n";
        else
            std::cout << response.dump(2) << "\n";
    }
    if (failed) throw Error(std::to_string(failed) + " of " + std::to_string(images.size()) + " images failed");
}

// A test image as the evaluation saw it: kept detections green (TP) or red (FP), missed truth
// boxes orange — at the assumed thresholds or --min-confidence — without running the model.
void run_draw_evaluation(Context& ctx, const DetectArgs& a) {
    auto& catalog = ctx.catalog();
    const auto stored = train::load_stored_evaluation(catalog, a.project, a.version);
    const auto& image = stored.image(a.evaluation_image);
    const double fallback = a.min_confidence >= 0 ? a.min_confidence / 100 : 1.0;
    const auto thresholds = a.min_confidence >= 0 ? std::map<std::string, double>{} : stored.thresholds;
    const auto judged_boxes = eval::StoredPredictions::judge(image, thresholds, fallback);
    const cv::Mat picture = train::outcome_picture(catalog, stored.version.project, image, judged_boxes);
    Json judged = Json::array();
    size_t counts[3] = {0, 0, 0};
    for (const auto& b : judged_boxes) {
        ++counts[static_cast<int>(b.outcome)];
        judged.push_back({{"Name", b.label},
                          {"Outcome", train::outcome_code(b.outcome)},
                          {"Confidence", 100 * b.confidence},
                          {"Box", {b.box.left, b.box.top, b.box.width, b.box.height}}});
    }
    const std::string out = a.out.empty() ? fs::path(image.image).stem().string() + "-evaluation.png" : a.out;
    if (!cv::imwrite(out, picture)) throw Error(Location{out}, "cannot write the annotated image");
    ctx.emit({{"Output", out}, {"Image", image.image}, {"Boxes", judged}}, [&] {
        std::cout << "drew " << out << ": " << counts[0] << " true positives (green), " << counts[1]
                  << " false positives (red), " << counts[2] << " missed (orange)\n";
    });
}

void run_draw(Context& ctx, const DetectArgs& a) {
    if (!a.evaluation_image.empty()) {
        if (!a.inputs.empty())
            throw Error(Location{"", 0, "--evaluation"}, "draws a test image from the evaluation; give no other image");
        return run_draw_evaluation(ctx, a);
    }
    if (a.inputs.empty()) throw Error(Location{"", 0, "IMAGE"}, "give an image, or --evaluation TEST-IMAGE");
    auto predictor = load_predictor(ctx, a);
    const auto images = expand(a.inputs);
    if (images.size() != 1) throw Error(Location{"", 0, "IMAGE"}, "draw takes exactly one image");
    cv::Mat image = vision::decode_image_file(images[0]);
    const auto labels = predictor.detect(image, detect_options(a));
    if (predictor.manifest().classifies()) {
        std::vector<std::pair<std::string, double>> captions;
        for (const auto& l : labels) captions.emplace_back(l.name, l.confidence);
        vision::draw_image_labels(image, captions);
    } else {
        std::vector<vision::DrawnBox> boxes;
        for (const auto& l : labels) boxes.push_back({l.name, l.pixels, l.confidence, "", std::nullopt});
        vision::draw_boxes(image, boxes);
    }
    const std::string out = a.out.empty() ? images[0].stem().string() + "-annotated.png" : a.out;
    if (!cv::imwrite(out, image)) throw Error(Location{out}, "cannot write the annotated image");
    ctx.emit({{"Output", out}, {"CustomLabels", infer::to_custom_labels_json(labels)["CustomLabels"]}},
             [&] { std::cout << "drew " << labels.size() << " labels on " << out << "\n"; });
}

void add_common(CLI::App* cmd, DetectArgs& a) {
    cmd->add_option("--project", a.project, "project name or ARN")->required();
    cmd->add_option("--version", a.version, "model version name or ARN (default: the newest trained)");
    auto* images = cmd->add_option("images", a.inputs, "image files or folders");
    if (cmd->get_name() == "detect") images->required();
    cmd->add_option("--min-confidence", a.min_confidence,
                    "keep labels at or above this confidence, 0-100 (default: each label's assumed threshold)")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--max-results", a.max_results, "at most this many labels per image");
}

}  // namespace

void add_detect_commands(CLI::App& app, Context& ctx) {
    auto d = std::make_shared<DetectArgs>();
    auto* detect = app.add_subcommand("detect", "detect custom labels in images (DetectCustomLabels output)");
    add_common(detect, *d);
    detect->add_flag("--jsonl", d->jsonl, "one JSON line per image, with its path");
    detect->callback([&ctx, d] { run_detect(ctx, *d); });

    auto w = std::make_shared<DetectArgs>();
    auto* draw = app.add_subcommand("draw", "draw detected labels on an image");
    add_common(draw, *w);
    draw->add_option("--out,-o", w->out, "output image (PNG or JPEG)");
    draw->add_option("--evaluation", w->evaluation_image,
                     "a test image (source-ref or file name): truth and stored predictions coloured TP/FP/FN");
    draw->callback([&ctx, w] { run_draw(ctx, *w); });
}

}  // namespace apiary::cli
