#include "train/outcome_picture.h"

#include <cstdio>

#include "core/error.h"
#include "vision/decode.h"
#include "vision/draw.h"

namespace apiary::train {

namespace {
const cv::Scalar kTruePositive(60, 180, 60), kFalsePositive(40, 40, 220), kMissed(0, 200, 255);
}  // namespace

const char* outcome_code(eval::Outcome outcome) {
    switch (outcome) {
        case eval::Outcome::TruePositive: return "TP";
        case eval::Outcome::FalsePositive: return "FP";
        case eval::Outcome::FalseNegative: return "FN";
    }
    return "";
}

cv::Mat outcome_picture(store::Catalog& catalog, const std::string& project, const eval::StoredImage& image,
                        const std::vector<eval::JudgedBox>& judged) {
    const auto test = catalog.find_dataset(catalog.project(project), "test");
    const auto entry = test ? catalog.entry(*test, image.image) : std::nullopt;
    if (!entry) throw NotFound("test image " + image.image + " is no longer in the test dataset");
    cv::Mat picture = vision::decode_image_file(entry->image_path, vision::DecodeLimits::for_dataset_images());
    std::vector<vision::DrawnBox> boxes;
    for (const auto& b : judged) {
        using eval::Outcome;
        const cv::Scalar colour = b.outcome == Outcome::TruePositive    ? kTruePositive
                                  : b.outcome == Outcome::FalsePositive ? kFalsePositive
                                                                        : kMissed;
        char caption[300];
        if (b.outcome == Outcome::FalseNegative)
            std::snprintf(caption, sizeof caption, "%s missed", b.label.c_str());
        else
            std::snprintf(caption, sizeof caption, "%s %.1f%% %s", b.label.c_str(), 100 * b.confidence, outcome_code(b.outcome));
        boxes.push_back({b.label, b.box, 100 * b.confidence, caption, colour});
    }
    vision::draw_boxes(picture, boxes);
    return picture;
}

}  // namespace apiary::train
