// The apiary binary driven as a user drives it: generated demo data, then the shared datasets.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "core/json.h"
#include "support/test_support.h"

using namespace apiary;

namespace {

class Cli : public ::testing::Test {
protected:
    test::TempDir dir;

    test::CommandResult run(const std::string& args) {
        return test::run_command(test::apiary_binary() + " --data-dir " + (dir / "data").string() + " " + args);
    }
    Json run_json(const std::string& args) {
        auto r = test::run_command(test::apiary_binary() + " --json --data-dir " + (dir / "data").string() + " " + args,
                                   /*merge_stderr=*/false);
        EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
        return Json::parse(r.output);
    }
    std::string demo(int images) {
        auto j = run_json("demo-data " + (dir / "demo").string() + " --images " + std::to_string(images));
        demo_map = j["Map"].get<std::string>();
        return "--manifest " + j["Manifest"].get<std::string>() + " --map " + demo_map;
    }
    std::string demo_map;  // the last demo's s3:// prefix = its image folder
};

}  // namespace

TEST_F(Cli, ProjectCreateListDescribeDelete) {
    EXPECT_EQ(run("project create bees").status, 0);
    EXPECT_EQ(run("project create bees").status, 4);  // conflict
    auto list = run_json("project list");
    ASSERT_EQ(list["ProjectDescriptions"].size(), 1u);
    EXPECT_EQ(list["ProjectDescriptions"][0]["ProjectName"], "bees");
    auto described = run("project describe bees");
    EXPECT_NE(described.output.find("arn:aws:rekognition:"), std::string::npos);
    EXPECT_EQ(run("project delete bees").status, 0);
    auto missing = run("project describe bees");
    EXPECT_EQ(missing.status, 3);
    EXPECT_NE(missing.output.find("'bees' does not exist"), std::string::npos);
}

TEST_F(Cli, ImportDescribeSplitExportReimport) {
    const std::string source = demo(30);
    run("project create demo");
    auto imported = run_json("dataset import demo " + source);
    EXPECT_EQ(imported["Imported"], 30);
    EXPECT_EQ(imported["Rejected"], 0);

    auto split = run_json("dataset split demo --test-percent 20 --seed 3");
    EXPECT_EQ(split["Test"], 6);
    EXPECT_EQ(split["Train"], 24);
    EXPECT_EQ(run_json("dataset split demo --test-percent 20 --seed 3"), split);  // deterministic

    auto described = run_json("dataset describe demo");
    ASSERT_EQ(described["DatasetDescriptions"].size(), 2u);
    size_t images = 0;
    for (const auto& d : described["DatasetDescriptions"]) {
        images += d["Statistics"]["images"].get<size_t>();
        EXPECT_TRUE(d["Statistics"]["labels"].contains("bee") || d["Statistics"]["labels"].contains("flower"));
    }
    EXPECT_EQ(images, 30u);

    auto labels = run_json("dataset list-labels demo --dataset train");
    EXPECT_GE(labels["DatasetLabelDescriptions"].size(), 1u);
    auto entries = run_json("dataset list-entries demo --dataset test");
    EXPECT_EQ(entries["DatasetEntries"].size(), 6u);
    for (const auto& l : entries["DatasetEntries"])  // the reference imported, never our copy's path
        EXPECT_TRUE(Json::parse(l.get<std::string>())["source-ref"].get<std::string>().starts_with("s3://")) << l;

    // Exported as imported (s3:// references), so it imports again with the same --map.
    const auto exported = (dir / "train.manifest").string();
    ASSERT_EQ(run("dataset export demo --dataset train --out " + exported).status, 0);
    run("project create again");
    auto again = run_json("dataset import again --manifest " + exported + " --map " + demo_map);
    EXPECT_EQ(again["Imported"], 24);
    EXPECT_EQ(again["Rejected"], 0);
    // --local-paths: Apiary's own copies, which import with no map at all.
    const auto local = (dir / "local.manifest").string();
    ASSERT_EQ(run("dataset export demo --dataset train --local-paths --out " + local).status, 0);
    run("project create local");
    EXPECT_EQ(run_json("dataset import local --manifest " + local)["Imported"], 24);
    // The same entries: source-ref, size, labels and boxes (only the export timestamp may differ).
    auto comparable = [&](const std::string& project) {
        std::vector<Json> lines;
        const Json listed = run_json("dataset list-entries " + project + " --dataset train");
        for (const auto& l : listed["DatasetEntries"]) {
            Json j = Json::parse(l.get<std::string>());
            // Entries keep the label attribute they were imported with (the demo's is not
            // "bounding-box"), so whichever "-metadata" member the line has.
            for (auto& [key, value] : j.items())
                if (key.ends_with("-metadata")) value.erase("creation-date");
            lines.push_back(j);
        }
        return lines;
    };
    const auto a = comparable("demo"), b = comparable("again");
    EXPECT_EQ(a.size(), 24u);
    EXPECT_TRUE(a == b) << "re-imported entries differ from the exported ones";

    EXPECT_EQ(run("dataset delete demo --dataset test").status, 0);
    EXPECT_EQ(run("dataset describe demo --dataset test").status, 3);
}

TEST_F(Cli, BadLinesAreReportedAndGoodOnesKept) {
    const std::string source = demo(5);
    const auto manifest = dir / "demo" / "output.manifest";
    std::string text = "{not json\n" + std::string(test::run_command("cat " + manifest.string()).output);
    test::write_text(manifest, text);
    run("project create demo");
    const auto report = (dir / "report.jsonl").string();
    auto imported = run_json("dataset import demo " + source + " --report " + report);
    EXPECT_EQ(imported["Imported"], 5);
    EXPECT_EQ(imported["Rejected"], 1);
    EXPECT_EQ(imported["Issues"][0]["line"], 1);
    EXPECT_EQ(imported["Issues"][0]["code"], "malformed-json");
    auto lines = test::run_command("wc -l < " + report).output;
    EXPECT_EQ(std::stoi(lines), 1);
    auto human = run("dataset import demo " + source);
    EXPECT_NE(human.output.find("output.manifest:1"), std::string::npos) << human.output;
}

TEST_F(Cli, RejectedManifestLinesAreListedWithTheirErrors) {
    const std::string source = demo(4);
    const auto manifest = dir / "demo" / "output.manifest";
    std::istringstream in(test::run_command("cat " + manifest.string()).output);
    std::string first;
    std::getline(in, first);
    Json missing = Json::parse(first);  // a good line whose picture is not there
    const std::string ref = missing["source-ref"].get<std::string>();
    missing["source-ref"] = ref.substr(0, ref.rfind('/') + 1) + "gone.jpg";
    test::write_text(manifest, test::run_command("cat " + manifest.string()).output + "{not json\n" + missing.dump() + "\n");
    run("project create demo");
    auto imported = run_json("dataset import demo " + source);
    EXPECT_EQ(imported["Imported"], 4);
    EXPECT_EQ(imported["Rejected"], 2);

    EXPECT_EQ(run_json("dataset list-entries demo")["DatasetEntries"].size(), 4u) << "the good entries only";
    const Json rejected = run_json("dataset list-entries demo --has-errors")["DatasetEntries"];
    ASSERT_EQ(rejected.size(), 1u) << "the line that is not JSON has no source-ref to be listed under: " << rejected;
    const Json line = Json::parse(rejected[0].get<std::string>());
    EXPECT_EQ(line["source-ref"], missing["source-ref"]) << "the line as the manifest wrote it";
    ASSERT_TRUE(line["errors"].is_array() && !line["errors"].empty()) << line;
    EXPECT_TRUE(line["errors"][0].contains("code") && line["errors"][0].contains("message")) << line;
    const auto human = run("dataset list-entries demo --has-errors");
    EXPECT_NE(human.output.find("gone.jpg"), std::string::npos) << human.output;
}

TEST_F(Cli, KilledImportLeavesThePreviousState) {
    const std::string source = demo(150);
    run("project create demo");
    // Kill at several moments: each time the project holds all of the import or none of it.
    for (int delay_ms : {5, 40, 120, 300}) {
        const pid_t pid = fork();
        if (pid == 0) {
            const std::string cmd = test::apiary_binary() + " --data-dir " + (dir / "data").string() +
                                    " dataset import demo " + source + " >/dev/null 2>&1";
            execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), nullptr);
            _exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        auto r = test::run_command(test::apiary_binary() + " --json --data-dir " + (dir / "data").string() +
                                       " dataset list-entries demo",
                                   false);
        if (r.status == 0) {
            const size_t n = Json::parse(r.output)["DatasetEntries"].size();
            EXPECT_TRUE(n == 0 || n == 150) << n << " entries after a kill at " << delay_ms << " ms";
        } else {
            EXPECT_EQ(r.status, 3) << r.output;  // no dataset yet
        }
    }
    EXPECT_EQ(run_json("dataset import demo " + source)["Imported"], 150);
    EXPECT_EQ(run_json("dataset list-entries demo")["DatasetEntries"].size(), 150u);
}

TEST_F(Cli, KangarooManifestWithMappedBucket) {
    const auto kangaroo = test::shared_dataset("kangaroo");
    if (!kangaroo) GTEST_SKIP() << "../shared/datasets/kangaroo not present";
    run("project create kangaroo");
    auto j = run_json("dataset import kangaroo --manifest " + (*kangaroo / "output.manifest").string() +
                      " --map s3://apiary-samples/kangaroo/images=" + (*kangaroo / "images").string());
    EXPECT_EQ(j["Imported"], 164);
    EXPECT_EQ(j["Rejected"], 0);
    auto labels = run_json("dataset list-labels kangaroo")["DatasetLabelDescriptions"];
    ASSERT_EQ(labels.size(), 1u);
    EXPECT_EQ(labels[0]["LabelName"], "kangaroo");
    EXPECT_EQ(labels[0]["LabelStats"]["EntryCount"], 164);
    EXPECT_EQ(labels[0]["LabelStats"]["BoundingBoxCount"], 266);
}

TEST_F(Cli, BccdAsPascalVocKeepsItsSplit) {
    const auto bccd = test::shared_dataset("bccd");
    if (!bccd) GTEST_SKIP() << "../shared/datasets/bccd not present";
    run("project create bccd");
    auto j = run_json("dataset import bccd --source " + bccd->string() + " --format voc");
    EXPECT_EQ(j["Imported"], 364);
    EXPECT_EQ(j["Rejected"], 0);
    EXPECT_EQ(j["Test"], 72);
    EXPECT_EQ(j["Train"], 292);
    auto labels = run_json("dataset list-labels bccd --dataset train")["DatasetLabelDescriptions"];
    std::set<std::string> names;
    for (const auto& l : labels) names.insert(l["LabelName"].get<std::string>());
    EXPECT_EQ(names, (std::set<std::string>{"Platelets", "RBC", "WBC"}));
}
