// Training options from a client (CreateProjectVersion's TrainingOptions, serve --train-option):
// applied over the defaults, each checked, errors naming the field.
#include <gtest/gtest.h>

#include "core/error.h"
#include "train/train_config.h"

namespace apiary::train {
namespace {

std::string error_of(const Json& options) {
    try {
        TrainConfig::with_options({}, options, "TrainingOptions");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(TrainConfigOptions, AppliesKnownOptionsOverTheBase) {
    TrainConfig base;
    base.batch = 4;
    const auto c = TrainConfig::with_options(base, {{"epochs", 3}, {"image_size", 128}, {"augment", "strong"},
                                                    {"lr", 0.001}, {"freeze_backbone", true}}, "x");
    EXPECT_EQ(c.epochs, 3);
    EXPECT_EQ(c.image_size, 128);
    EXPECT_EQ(c.augment, "strong");
    EXPECT_DOUBLE_EQ(c.lr, 0.001);
    EXPECT_TRUE(c.freeze_backbone);
    EXPECT_EQ(c.batch, 4);  // untouched
}

TEST(TrainConfigOptions, RefusesUnknownKeysWrongTypesAndValuesOutOfRange) {
    EXPECT_NE(error_of({{"epoch", 3}}).find("field TrainingOptions.epoch: unknown training option"), std::string::npos);
    EXPECT_NE(error_of({{"epochs", "3"}}).find("TrainingOptions.epochs"), std::string::npos);
    EXPECT_NE(error_of({{"epochs", 5000}}).find("to 1000"), std::string::npos);
    EXPECT_NE(error_of({{"image_size", 100}}).find("multiple of 32"), std::string::npos);
    EXPECT_NE(error_of({{"batch", 0}}).find("TrainingOptions.batch"), std::string::npos);
    EXPECT_NE(error_of({{"augment", "max"}}).find("none, light, strong or auto"), std::string::npos);
    EXPECT_NE(error_of({{"freeze_backbone", 1}}).find("true or false"), std::string::npos);
    EXPECT_NE(error_of(Json::array()).find("an object"), std::string::npos);
    EXPECT_NE(error_of({{"tile_fraction", 0.05}}).find("TrainingOptions.tile_fraction"), std::string::npos);
    EXPECT_NE(error_of({{"tile_fraction", 2}}).find("0.1 to 1"), std::string::npos);
}

TEST(TrainConfigOptions, TileFractionIsAutomaticUnlessGiven) {
    EXPECT_EQ(TrainConfig{}.tile_fraction, -1);
    EXPECT_DOUBLE_EQ(TrainConfig::with_options({}, {{"tile_fraction", 0.25}}, "x").tile_fraction, 0.25);
    EXPECT_EQ(TrainConfig::with_options({}, {{"tile_fraction", 0}}, "x").tile_fraction, 0);
    // A configuration stored before tiles existed trained on whole images.
    EXPECT_EQ(TrainConfig::from_json({{"epochs", 3}}).tile_fraction, 0);
    EXPECT_DOUBLE_EQ(TrainConfig::from_json(TrainConfig::with_options({}, {{"tile_fraction", 0.5}}, "x").to_json())
                         .tile_fraction, 0.5);
}

TEST(TrainConfigOptions, HeadStartIsAutomaticUnlessGiven) {
    EXPECT_EQ(TrainConfig{}.head_start, "auto");
    EXPECT_EQ(TrainConfig::with_options({}, {{"head_start", "fresh"}}, "x").head_start, "fresh");
    EXPECT_NE(error_of({{"head_start", "coco"}}).find("TrainingOptions.head_start: expected auto or fresh"),
              std::string::npos);
    // A configuration stored before head starts were chosen started fresh.
    EXPECT_EQ(TrainConfig::from_json({{"epochs", 3}}).head_start, "fresh");
    EXPECT_EQ(TrainConfig::from_json(TrainConfig{}.to_json()).head_start, "auto");
}

}  // namespace
}  // namespace apiary::train
