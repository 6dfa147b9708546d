// Source-refs on the API path (UpdateDatasetEntries, CreateDataset from a manifest in a bucket)
// may name only objects in this server's buckets. Everything else is refused with
// InvalidParameterException naming the manifest line, and nothing a client is told reveals a
// server path or a fact about a server file.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/files.h"
#include "data/demo_dataset.h"
#include "data/import.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

std::string line_for(const std::string& source_ref) {
    return Json{{"source-ref", source_ref},
                {"bees", 0},
                {"bees-metadata", {{"class-name", "bee"}, {"type", "groundtruth/image-classification"}}}}
               .dump() +
           "\n";
}

class DatasetSourcesTest : public ::testing::Test {
protected:
    DatasetSourcesTest() : dir(tmp.path() / "data"), objects(dir), api(dir, objects) {
        test::write_test_image(tmp.path() / "outside/secret.jpg", 120, 100, 1);
        test::write_test_image(tmp.path() / "good.jpg", 120, 100, 2);
        test::write_test_image(tmp.path() / "other.jpg", 120, 100, 3);
        objects.create_bucket("demo");
        objects.put_object_bytes("demo", "good.jpg", read_file(tmp.path() / "good.jpg"));
        objects.put_object_bytes("demo", "other.jpg", read_file(tmp.path() / "other.jpg"));
        objects.put_object_bytes("demo", "notes.txt", "a text object, not an image");
        project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
        train = api.handle("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    }

    // The refs a client might use to reach the server's own files.
    std::vector<std::string> file_reads() const {
        const std::string secret = (tmp.path() / "outside/secret.jpg").string();
        return {"/etc/passwd",
                "file:///etc/passwd",
                "../apiary.db",
                "apiary.db",
                "objects/../apiary.db",
                secret,
                "file://" + secret,
                (tmp.path() / "outside/no-such.jpg").string(),
                (dir.root() / "apiary.db").string(),
                "s3://no-such-bucket/good.jpg",
                "s3://demo/no-such-key.jpg",
                "http://169.254.169.254/latest/meta-data"};
    }

    // What UpdateDatasetEntries answers, as code and message ("no error" if it succeeds).
    std::pair<std::string, std::string> update(const std::string& manifest) {
        try {
            api.handle("UpdateDatasetEntries", {{"DatasetArn", train}, {"Changes", {{"GroundTruth", base64_encode(manifest)}}}});
        } catch (const ApiError& e) {
            return {e.code(), e.what()};
        }
        return {"no error", ""};
    }

    Json describe() { return api.handle("DescribeDataset", {{"DatasetArn", train}})["DatasetDescription"]; }

    // Nothing a client reads may name the test's folders (the data directory lies inside).
    void expect_no_server_path(const std::string& text) {
        EXPECT_EQ(text.find(tmp.path().string()), std::string::npos) << text;
        EXPECT_EQ(text.find("/tmp"), std::string::npos) << text;
        EXPECT_EQ(text.find("import-bees"), std::string::npos) << text;  // the old temporary manifest
    }

    test::TempDir tmp;
    store::DataDir dir;
    store::ObjectStore objects;
    RekognitionApi api;
    std::string project, train;
};

TEST_F(DatasetSourcesTest, EveryFileReadIsRefusedNamingTheLineAndNothingAboutTheFile) {
    for (const auto& ref : file_reads()) {
        SCOPED_TRACE(ref);
        // The ref on line 2, after a blank line, so the line number is the manifest's own.
        std::string manifest = "\n";
        manifest += line_for(ref);
        const auto [code, message] = update(manifest);
        EXPECT_EQ(code, "InvalidParameterException");
        EXPECT_NE(message.find("Changes.GroundTruth:2"), std::string::npos) << message;
        EXPECT_NE(message.find("source-ref"), std::string::npos) << message;
        // The same words whether the file exists or not, whatever it holds.
        for (const char* fact : {"not found", "bytes", "not a JPEG", "regular file", "too small", "image is"})
            EXPECT_EQ(message.find(fact), std::string::npos) << message;
        if (!ref.starts_with("s3://")) expect_no_server_path(message);
    }
    EXPECT_EQ(describe()["DatasetStats"]["TotalEntries"], 0);
}

TEST_F(DatasetSourcesTest, AManifestInABucketIsConfinedToo) {
    objects.put_object_bytes("demo", "train.manifest", line_for((tmp.path() / "outside/secret.jpg").string()));
    const std::string test_set = [&] {
        try {
            api.handle("CreateDataset", {{"ProjectArn", project},
                                         {"DatasetType", "TEST"},
                                         {"DatasetSource", {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}}}});
        } catch (const ApiError& e) {
            EXPECT_NE(std::string(e.what()).find("s3://demo/train.manifest:1"), std::string::npos) << e.what();
            expect_no_server_path(e.what());
            return e.code();
        }
        return std::string("no error");
    }();
    EXPECT_EQ(test_set, "InvalidParameterException");
}

TEST_F(DatasetSourcesTest, ObjectsInTheServersBucketsStillImport) {
    EXPECT_EQ(update(line_for("s3://demo/good.jpg") + line_for("s3://demo/other.jpg")).first, "no error");
    const Json d = describe();
    EXPECT_EQ(d["DatasetStats"]["TotalEntries"], 2);
    EXPECT_EQ(d["StatusMessageCode"], "SUCCESS");
    const Json entries = api.handle("ListDatasetEntries", {{"DatasetArn", train}})["DatasetEntries"];
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(Json::parse(entries[0].get<std::string>())["source-ref"], "s3://demo/good.jpg");
}

TEST_F(DatasetSourcesTest, OneRefOutsideTheBucketsAmongGoodLinesRefusesTheWholeRequest) {
    std::string manifest = line_for("s3://demo/good.jpg");               // 1
    manifest += line_for((tmp.path() / "outside/secret.jpg").string());  // 2: a server file
    manifest += line_for("s3://demo/other.jpg");                         // 3
    manifest += line_for("/etc/passwd");                                 // 4: a server file
    manifest += line_for("s3://demo/gone.jpg");                          // 5: no such object
    const auto [code, message] = update(manifest);
    EXPECT_EQ(code, "InvalidParameterException");
    for (const char* where : {"Changes.GroundTruth:2", "Changes.GroundTruth:4", "Changes.GroundTruth:5"})
        EXPECT_NE(message.find(where), std::string::npos) << message;
    for (const char* good : {"Changes.GroundTruth:1", "Changes.GroundTruth:3"})
        EXPECT_EQ(message.find(good), std::string::npos) << message;
    expect_no_server_path(message);
    EXPECT_EQ(describe()["DatasetStats"]["TotalEntries"], 0);  // nothing imported, not even the good lines
}

TEST_F(DatasetSourcesTest, AMixedManifestKeepsTheGoodLinesAndReportsTheBadOnes) {
    std::string manifest = line_for("s3://demo/good.jpg");  // 1: kept
    manifest += line_for("s3://demo/notes.txt");            // 2: an object, not an image
    manifest += "{\"source-ref\": 12}\n";                  // 3: not a string
    manifest += line_for("s3://demo/other.jpg");            // 4: kept
    manifest += "{not json\n";                              // 5
    EXPECT_EQ(update(manifest).first, "no error");
    const Json d = describe();
    EXPECT_EQ(d["DatasetStats"]["TotalEntries"], 2);
    EXPECT_EQ(d["DatasetStats"]["ErrorEntries"], 3);
    EXPECT_EQ(d["StatusMessageCode"], "CLIENT_ERROR");
    const std::string message = d["StatusMessage"];
    for (const char* where : {"Changes.GroundTruth:2", "Changes.GroundTruth:3", "Changes.GroundTruth:5"})
        EXPECT_NE(message.find(where), std::string::npos) << message;
    EXPECT_NE(message.find("s3://demo/notes.txt"), std::string::npos) << message;  // the client's own object is named
    expect_no_server_path(message);
    EXPECT_EQ(message.find("reports"), std::string::npos) << message;  // the report file lies on the server
}

TEST_F(DatasetSourcesTest, ACliImportsProblemsStayOnTheServer) {
    // The operator imports on the server's machine; that report names local files.
    test::write_text(tmp.path() / "local/m.manifest",
                     line_for((tmp.path() / "good.jpg").string()) + line_for((tmp.path() / "local/missing.jpg").string()));
    const auto report = data::import_dataset(tmp.path() / "local/m.manifest");
    ASSERT_EQ(report.rejected(), 1u);
    const fs::path report_path = dir.reports() / "cli-import.jsonl";
    std::string lines;
    for (const auto& issue : report.issues) lines += issue.to_json().dump() + "\n";
    test::write_text(report_path, lines);
    store::Catalog catalog(dir);
    catalog.import(catalog.project("bees"), report, "train", report_path.string());

    const Json d = describe();
    EXPECT_EQ(d["DatasetStats"]["ErrorEntries"], 1);
    EXPECT_EQ(d["StatusMessage"], "1 records of the last import were left out: the import report on the server lists them");
}

TEST_F(DatasetSourcesTest, AnImportThatFailsOnTheServerSaysSoWithoutItsPaths) {
    // The dataset's images are copied under the data directory; make that impossible.
    fs::remove_all(dir.images());
    test::write_text(dir.images(), "a file where the image folder should be");
    try {
        api.handle("UpdateDatasetEntries", {{"DatasetArn", train}, {"Changes", {{"GroundTruth", base64_encode(line_for("s3://demo/good.jpg"))}}}});
        FAIL() << "imported without an image folder";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status(), 500) << e.code() << ": " << e.what();
        expect_no_server_path(e.what());
    }
}

}  // namespace
}  // namespace apiary::service
