// Two versions compared from their stored predictions: the disagreements are exactly the test
// images whose outcomes differ, and the HTML report escapes every name it shows.
#include <gtest/gtest.h>

#include "core/error.h"
#include "data/demo_dataset.h"
#include "data/import.h"
#include "nn/pretrained.h"
#include "store/catalog.h"
#include "store/relabel.h"
#include "support/test_support.h"
#include "train/project_training.h"
#include "train/version_comparison.h"

namespace apiary::train {
namespace {

TEST(VersionComparison, ListsTheImagesThatComeOutDifferentlyAndEscapesNames) {
    try {
        nn::pretrained_model_json("centernet");
    } catch (const Error&) {
        GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
    }
    test::TempDir tmp;
    const store::DataDir dir(tmp.path() / "data");
    store::Catalog catalog(dir);
    const auto demo = data::write_demo_dataset(tmp.path() / "demo", 16, 4);
    data::ImportOptions options;
    options.maps.push_back(data::PathMapping::parse(demo.bucket_prefix + "=" + demo.images.string()));
    const auto project = catalog.create_project("bees");
    catalog.import(project, data::import_dataset(demo.manifest, options), std::nullopt, "");
    store::rename_label(catalog, project, "flower", "<b>flower</b>");
    TrainRequest r;
    r.config.image_size = 128, r.config.batch = 4, r.config.threads = 1;
    r.config.epochs = 1, r.version_name = "v1";
    train_project(catalog, "bees", r);
    r.config.epochs = 3, r.version_name = "v2";
    train_project(catalog, "bees", r);

    const auto c = compare_versions(catalog, "bees", "v1", "v2");
    size_t differing = 0;
    for (const auto& image : c.a.predictions.images) {
        const auto a = eval::StoredPredictions::judge(image, c.a.thresholds, 1.0);
        const auto b = eval::StoredPredictions::judge(c.b.image(image.image), c.b.thresholds, 1.0);
        const auto tally = [](const std::vector<eval::JudgedBox>& boxes) {
            std::map<std::pair<std::string, int>, int> t;
            for (const auto& x : boxes) ++t[{x.label, static_cast<int>(x.outcome)}];
            return t;
        };
        differing += tally(a) != tally(b);
    }
    EXPECT_EQ(c.disagreements.size(), differing);
    EXPECT_EQ(c.to_json().at("Disagreements").size(), differing);

    const std::string html = comparison_html(catalog, c);
    EXPECT_NE(html.find("&lt;b&gt;flower&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<b>flower"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    if (differing > 0) EXPECT_NE(html.find("data:image/jpeg;base64,"), std::string::npos);
    EXPECT_THROW(compare_versions(catalog, "bees", "v1", "v9"), NotFound);
}

}  // namespace
}  // namespace apiary::train
