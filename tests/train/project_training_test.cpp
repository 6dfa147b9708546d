// Training end to end on a tiny generated dataset: version lifecycle, artifact, evaluation,
// interruption + resume, reproducibility. Small inputs and few epochs keep it fast; quality
// targets live in bench/.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "data/demo_dataset.h"
#include "data/import.h"
#include "infer/model_artifact.h"
#include "nn/pretrained.h"
#include "support/test_support.h"
#include "train/project_training.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

class ProjectTraining : public ::testing::Test {
protected:
    void SetUp() override {
        try {
            nn::pretrained_model_json("centernet");
        } catch (const Error&) {
            GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
        }
        const auto demo = data::write_demo_dataset(dir / "demo", 30, 5);
        data::ImportOptions options;
        options.maps.push_back(data::PathMapping::parse(demo.bucket_prefix + "=" + demo.images.string()));
        report = data::import_dataset(demo.manifest, options);
        ASSERT_EQ(report.entries.size(), 30u);
    }

    store::Catalog& catalog_for(const std::string& name) {
        catalogs.push_back(std::make_unique<store::Catalog>(store::DataDir(dir / name)));
        auto& c = *catalogs.back();
        c.import(c.create_project("bees"), report, std::nullopt, "");
        return c;
    }

    static train::TrainRequest small_request() {
        train::TrainRequest r;
        r.config.epochs = 2;
        r.config.image_size = 128;
        r.config.batch = 4;
        r.config.augment = "light";
        r.config.threads = 2;
        r.device = "cpu";
        return r;
    }

    test::TempDir dir;
    data::ImportReport report;
    std::vector<std::unique_ptr<store::Catalog>> catalogs;
};

}  // namespace

TEST_F(ProjectTraining, TrainsEvaluatesAndStoresAVersion) {
    auto& catalog = catalog_for("a");
    auto request = small_request();
    request.version_name = "v1";
    const auto r = train::train_project(catalog, "bees", request);
    EXPECT_TRUE(r.split_created);
    EXPECT_EQ(r.test_images, 6u);  // 20% of 30
    EXPECT_EQ(r.validation_images, 4u);  // 15% of the 24 left, held out for the first epoch only
    EXPECT_EQ(r.epochs_run, 2);
    EXPECT_EQ(r.fold_in_epochs, 1);
    EXPECT_TRUE(r.calibration_fit.contains("validation_detections"));  // a 1-epoch network may score none ≥ 2%
    EXPECT_EQ(r.version.status, store::VersionStatus::TrainingCompleted);
    ASSERT_TRUE(r.evaluation.contains("labels"));
    EXPECT_GE(r.evaluation["labels"].size(), 1u);

    const auto model = infer::load_model(r.version.dir, torch::kCPU);
    EXPECT_EQ(model.manifest.input_size, 128);
    EXPECT_EQ(model.manifest.labels.size(), model.manifest.thresholds.size());
    EXPECT_TRUE(fs::exists(fs::path(r.version.dir) / "evaluation-summary.json"));
    EXPECT_TRUE(fs::exists(fs::path(r.version.dir) / "predictions.json"));
    EXPECT_EQ(model.manifest.calibration.to_json(),
              eval::ScoreCalibration::from_json(r.calibration_fit["calibration"], "fit").to_json());
    EXPECT_TRUE(r.evaluation["overall"].contains("ece"));
    EXPECT_EQ(r.evaluation["reliability"]["bins"]["rows"].size(), 10u);
    EXPECT_FALSE(fs::exists(catalog.dir().models() / "bees" / ".checkpoints" / "v1"));

    const auto again = train::evaluate_version(catalog, "bees", {"v1", std::nullopt, "cpu"});
    EXPECT_EQ(again.images, 6u);
    EXPECT_EQ(again.evaluation["overall"], r.evaluation["overall"]);
    EXPECT_THROW(train::train_project(catalog, "bees", request), Conflict);  // name taken
}

TEST_F(ProjectTraining, InterruptedRunResumesAndMatchesAnUninterruptedOne) {
    auto& straight = catalog_for("straight");
    auto request = small_request();
    request.version_name = "v";
    const auto full = train::train_project(straight, "bees", request);

    auto& stopped = catalog_for("stopped");
    std::atomic<bool> stop{false};
    train::TrainerCallbacks cb;
    cb.on_epoch = [&](const train::EpochReport&) { stop = true; };
    const auto first = train::train_project(stopped, "bees", request, cb, &stop);
    EXPECT_TRUE(first.interrupted);
    EXPECT_EQ(first.epochs_run, 1);
    EXPECT_EQ(stopped.version(stopped.project("bees"), "v").status, store::VersionStatus::TrainingInProgress);

    auto resume = request;
    resume.resume = true;
    const auto second = train::train_project(stopped, "bees", resume);
    EXPECT_FALSE(second.interrupted);
    EXPECT_EQ(second.version.status, store::VersionStatus::TrainingCompleted);
    // Same seed, same threads, same data: the resumed run ends where the straight one did.
    EXPECT_EQ(second.evaluation["overall"], full.evaluation["overall"]);
}

TEST_F(ProjectTraining, TiledModelTrainsOnTilesAndIsEvaluatedAsItWillRun) {
    auto& catalog = catalog_for("tiles");
    auto request = small_request();
    request.version_name = "tiled";
    request.config.tile_fraction = 0.5;
    const auto r = train::train_project(catalog, "bees", request);
    const auto model = infer::load_model(r.version.dir, torch::kCPU);
    EXPECT_DOUBLE_EQ(model.manifest.tile_fraction(), 0.5);
    // Re-evaluating the stored model runs the same tiles and merge as training's evaluation did.
    const auto again = train::evaluate_version(catalog, "bees", {"tiled", std::nullopt, "cpu"});
    EXPECT_EQ(again.evaluation["overall"], r.evaluation["overall"]);
    // Older models have no tiles.
    infer::ModelManifest old;
    EXPECT_EQ(old.tile_fraction(), 0);
}
