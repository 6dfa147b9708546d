// `apiary demo-data --dense` and `dataset import --max-boxes`, driven as a user drives them.
#include <gtest/gtest.h>

#include "core/json.h"
#include "support/test_support.h"

using namespace apiary;

namespace {

class DenseCli : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string source;  // --manifest ... --map ... of two dense scenes

    void SetUp() override {
        const Json demo = run_json("demo-data " + (dir / "dense").string() + " --dense --images 2 --seed 4");
        ASSERT_EQ(demo["Images"], 2);
        ASSERT_GE(demo["Boxes"].get<int>(), 400);
        source = "--manifest " + demo["Manifest"].get<std::string>() + " --map " + demo["Map"].get<std::string>();
        ASSERT_EQ(run("project create dense").status, 0);
    }
    test::CommandResult run(const std::string& args) {
        return test::run_command(test::apiary_binary() + " --data-dir " + (dir / "data").string() + " " + args);
    }
    Json run_json(const std::string& args) {
        auto r = test::run_command(test::apiary_binary() + " --json --data-dir " + (dir / "data").string() + " " + args,
                                   /*merge_stderr=*/false);
        EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
        return r.status == 0 ? Json::parse(r.output) : Json::object();
    }
};

}  // namespace

TEST_F(DenseCli, DenseScenesImportWithAManyBoxesIssueEach) {
    const Json imported = run_json("dataset import dense " + source);
    EXPECT_EQ(imported["Imported"], 2);
    EXPECT_EQ(imported["Rejected"], 0);
    EXPECT_EQ(imported["IssuesByCode"], (Json{{"many-boxes", 2}}));
}

TEST_F(DenseCli, MaxBoxesBelowTheCountRejectsTheImages) {
    const Json imported = run_json("dataset import dense --max-boxes 100 " + source);
    EXPECT_EQ(imported["Imported"], 0);
    EXPECT_EQ(imported["Rejected"], 2);
    EXPECT_EQ(imported["IssuesByCode"], (Json{{"too-many-boxes", 2}}));
    const std::string reason = imported["Issues"][0]["reason"].get<std::string>();
    EXPECT_NE(reason.find("at most 100"), std::string::npos) << reason;
}

TEST_F(DenseCli, MaxBoxesOutOfRangeIsRefusedNamingTheFlag) {
    for (const char* n : {"0", "2501", "-5"}) {
        const auto r = run("dataset import dense --max-boxes " + std::string(n) + " " + source);
        EXPECT_EQ(r.status, 1) << n << "\n" << r.output;
        EXPECT_NE(r.output.find("--max-boxes"), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("between 1 and 2500"), std::string::npos) << r.output;
    }
    EXPECT_NE(run("dataset import dense --max-boxes many " + source).status, 0);
}
