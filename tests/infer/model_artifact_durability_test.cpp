// Model files are written through the durable-write toolkit: unpredictable temporaries that a
// planted symlink cannot redirect, owner-only files, no leftovers, and failures typed IoError.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "infer/model_artifact.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

infer::ModelManifest tiny_manifest() {
    infer::ModelManifest m;
    m.labels = {"bee"};
    m.input_size = 128;
    m.thresholds["bee"] = 0.0;
    m.dataset_hash = "test";
    m.created_ms = 1;
    return m;
}

TEST(ModelArtifactDurability, APlantedSymlinkAtTheOldTemporaryNameIsNotFollowed) {
    test::TempDir dir;
    test::write_text(dir / "victim", "precious");
    fs::create_symlink(dir / "victim", dir / "last.pt.partial");  // the name save_weights used to write
    nn::CenterNet net(1);
    infer::save_weights(dir / "last.pt", net);
    EXPECT_EQ(read_file(dir / "victim"), "precious");
    nn::CenterNet loaded(1);
    infer::load_weights(dir / "last.pt", loaded);
}

TEST(ModelArtifactDurability, AModelDirectoryHasOnlyItsFilesOwnerOnly) {
    test::TempDir dir;
    nn::CenterNet net(1);
    const fs::path model = dir / "models" / "v1";
    infer::save_model(model, net, tiny_manifest(), {{"evaluation.json", "{}"}});
    size_t files = 0;
    for (const auto& e : fs::directory_iterator(model)) {
        ++files;
        struct stat st {};
        ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 077, 0u) << e.path();
    }
    EXPECT_EQ(files, 3u) << "weights.pt, evaluation.json, model.json and nothing else";
    size_t siblings = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "models")) ++siblings;
    EXPECT_EQ(siblings, 1u) << "no staging directory left";
    EXPECT_EQ(infer::load_model(model, torch::kCPU).manifest.labels, std::vector<std::string>{"bee"});
}

TEST(ModelArtifactDurability, AnUnwritableDestinationIsAnIoError) {
    test::TempDir dir;
    test::write_text(dir / "file", "x");
    nn::CenterNet net(1);
    EXPECT_THROW(infer::save_weights(dir / "file" / "last.pt", net), IoError);
}

}  // namespace
