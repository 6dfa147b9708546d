// A checkpoint is one directory put in place whole: the previous epoch's or the new one, with a
// crash's leftovers cleared by the next save.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "support/test_support.h"
#include "train/checkpoint.h"
#include "train/optimiser.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {
struct Parts {
    nn::CenterNet net{1}, ema{1};
    train::TrainConfig config;
    train::Optimiser optimiser{*net, (config.lr = 1e-4, config)};
    train::CheckpointParts get() { return {net, ema, optimiser.get()}; }
};
}  // namespace

TEST(Checkpoint, SavedWholeReplacedWholeAndLoadedBack) {
    test::TempDir dir;
    const train::Checkpoint checkpoint(dir / "ckpt");
    Parts parts;
    EXPECT_FALSE(checkpoint.exists());
    train::CheckpointState s;
    s.epoch = 1;
    s.step = 10;
    s.rng = "42";
    checkpoint.save(s, parts.config, parts.get());
    EXPECT_TRUE(checkpoint.exists());
    {
        torch::NoGradGuard no_grad;
        parts.ema->heatmap_head->classifier->named_parameters()["bias"].fill_(0.25);
    }
    fs::create_directories(dir / "ckpt" / "staging" / "junk");  // a crash during a save left this
    s.epoch = 2;
    s.calibration = Json{{"calibration", {{"method", "platt"}, {"labels", Json::object()}}}};
    checkpoint.save(s, parts.config, parts.get());
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir / "ckpt")) names.push_back(e.path().filename());
    EXPECT_EQ(names, std::vector<std::string>{"current"});  // the old one and the staging are gone

    Parts fresh;
    const auto back = checkpoint.load(fresh.get());
    EXPECT_EQ(back.epoch, 2);
    EXPECT_EQ(back.step, 10);
    EXPECT_EQ(back.rng, "42");
    EXPECT_EQ(back.calibration, s.calibration);
    EXPECT_TRUE(torch::allclose(fresh.ema->heatmap_head->classifier->named_parameters()["bias"], torch::full({1}, 0.25)));

    write_file_atomic(dir / "ckpt" / "current" / "state.json", "{\"epoch\": ");
    try {
        checkpoint.load(fresh.get());
        FAIL() << "a damaged state was loaded";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("state.json"), std::string::npos) << e.what();
    }
}
