// RekognitionApi in process (no HTTP): request shapes in, response shapes and the reference
// service's exception names out. Training and detection run in the end-to-end client tests.
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/files.h"
#include "data/demo_dataset.h"
#include "service/api_error.h"
#include "service/model_runtime.h"
#include "service/rekognition_api.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

// The exception name `op` answers with, or "no error".
std::string error_of(RekognitionApi& api, const std::string& op, const Json& req) {
    try {
        api.handle(op, req);
    } catch (const ApiError& e) {
        return e.code();
    }
    return "no error";
}

class RekognitionApiTest : public ::testing::Test {
protected:
    RekognitionApiTest() : dir(tmp.path() / "data"), objects(dir), api(dir, objects) {}

    // Uploads a generated dataset to bucket "demo" (images under bees/images/) and returns the
    // manifest text, its source-refs rewritten to that bucket.
    std::string upload_demo(size_t images) {
        const auto demo = data::write_demo_dataset(tmp.path() / "demo", images, 7);
        objects.create_bucket("demo");
        for (const auto& f : fs::directory_iterator(demo.images))
            objects.put_object_bytes("demo", "bees/images/" + f.path().filename().string(), read_file(f.path()));
        std::string manifest = read_file(demo.manifest);
        for (size_t at; (at = manifest.find("s3://apiary-demo/")) != std::string::npos;)
            manifest.replace(at, 17, "s3://demo/");
        return manifest;
    }

    std::string error_code(const std::string& op, const Json& req) { return error_of(api, op, req); }

    test::TempDir tmp;
    store::DataDir dir;
    store::ObjectStore objects;
    RekognitionApi api;
};

TEST_F(RekognitionApiTest, DatasetFromAManifestInABucket) {
    const std::string manifest = upload_demo(12);
    // One broken line among good ones: reported, the good ones kept.
    objects.put_object_bytes("demo", "train.manifest", manifest + "{\"source-ref\": 12}\n");
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    const Json source = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}};
    const std::string dataset =
        api.handle("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"}, {"DatasetSource", source}})["DatasetArn"];
    EXPECT_EQ(error_code("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"}, {"DatasetSource", source}}),
              "ResourceAlreadyExistsException");

    const Json stats = api.handle("DescribeDataset", {{"DatasetArn", dataset}})["DatasetDescription"]["DatasetStats"];
    EXPECT_EQ(stats["TotalEntries"], 12);
    EXPECT_EQ(stats["LabeledEntries"], 12);
    EXPECT_EQ(stats["ErrorEntries"], 1);

    const Json entries = api.handle("ListDatasetEntries", {{"DatasetArn", dataset}, {"MaxResults", 5}});
    ASSERT_EQ(entries["DatasetEntries"].size(), 5u);
    EXPECT_TRUE(entries.contains("NextToken"));
    const Json line = Json::parse(entries["DatasetEntries"][0].get<std::string>());
    EXPECT_TRUE(line["source-ref"].get<std::string>().starts_with("s3://demo/bees/images/")) << line;

    const Json labels = api.handle("ListDatasetLabels", {{"DatasetArn", dataset}})["DatasetLabelDescriptions"];
    ASSERT_FALSE(labels.empty());
    EXPECT_GT(labels[0]["LabelStats"]["BoundingBoxCount"].get<int>(), 0);

    const Json projects = api.handle("DescribeProjects", Json::object())["ProjectDescriptions"];
    ASSERT_EQ(projects.size(), 1u);
    EXPECT_EQ(projects[0]["Datasets"][0]["DatasetType"], "TRAIN");
}

TEST_F(RekognitionApiTest, UpdateAndDistributeEntries) {
    const std::string manifest = upload_demo(20);
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    const std::string train = api.handle("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    const std::string test = api.handle("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TEST"}})["DatasetArn"];
    api.handle("UpdateDatasetEntries", {{"DatasetArn", train}, {"Changes", {{"GroundTruth", base64_encode(manifest)}}}});
    api.handle("DistributeDatasetEntries", {{"Datasets", Json::array({{{"Arn", train}}, {{"Arn", test}}})}});
    const auto count = [&](const std::string& arn) {
        return api.handle("DescribeDataset", {{"DatasetArn", arn}})["DatasetDescription"]["DatasetStats"]["TotalEntries"].get<int>();
    };
    EXPECT_EQ(count(train) + count(test), 20);
    EXPECT_EQ(count(test), 4);
    EXPECT_EQ(error_code("DistributeDatasetEntries", {{"Datasets", Json::array({{{"Arn", train}}, {{"Arn", test}}})}}),
              "ResourceInUseException");  // the test dataset is no longer empty
}

TEST_F(RekognitionApiTest, ErrorsUseTheReferenceExceptionNames) {
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    EXPECT_EQ(error_code("CreateProject", {{"ProjectName", "bees"}}), "ResourceInUseException");
    EXPECT_EQ(error_code("CreateProject", Json::object()), "InvalidParameterException");
    EXPECT_EQ(error_code("DescribeProjectVersions", {{"ProjectArn", project + "0"}}), "ResourceNotFoundException");
    EXPECT_EQ(error_code("DescribeProjectVersions", {{"ProjectArn", "arn:aws:s3:::bucket"}}), "InvalidParameterException");
    EXPECT_EQ(error_code("CreateProjectVersion", {{"ProjectArn", project}, {"VersionName", "v1"}}),
              "InvalidParameterException");  // no training data yet
    objects.create_bucket("demo");
    EXPECT_EQ(error_code("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"},
                                           {"DatasetSource", {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "none"}}}}}}}}),
              "InvalidS3ObjectException");
    EXPECT_EQ(error_code("DetectCustomLabels", {{"ProjectVersionArn", project + "/version/v9/1"}, {"Image", {{"Bytes", ""}}}}),
              "InvalidParameterException");  // not a version ARN
    EXPECT_EQ(error_code("NoSuchOperation", Json::object()), "UnknownOperationException");
}

TEST_F(RekognitionApiTest, TagsRoundTripAndAreLimited) {
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    api.handle("TagResource", {{"ResourceArn", project}, {"Tags", {{"a", "1"}, {"b", "2"}}}});
    api.handle("UntagResource", {{"ResourceArn", project}, {"TagKeys", {"a"}}});
    EXPECT_EQ(api.handle("ListTagsForResource", {{"ResourceArn", project}})["Tags"], (Json{{"b", "2"}}));
    Json many = Json::object();
    for (int i = 0; i < 50; ++i) many[std::to_string(i)] = "v";
    EXPECT_EQ(error_code("TagResource", {{"ResourceArn", project}, {"Tags", many}}), "LimitExceededException");
    EXPECT_EQ(error_code("TagResource", {{"ResourceArn", project}, {"Tags", {{"aws:x", "1"}}}}), "InvalidParameterException");
}

TEST(ModelRuntime, AModelThatCannotLoadEndsFailedWithTheReason) {
    test::TempDir tmp;
    std::vector<std::string> settled;
    ModelRuntime runtime(1, [&](const std::string&, RunState s, const std::string&) { settled.push_back(to_status(s)); });
    runtime.start("arn:v1", tmp.path() / "missing-model");
    runtime.wait_idle();
    EXPECT_EQ(runtime.state("arn:v1"), RunState::Failed);
    EXPECT_NE(runtime.message("arn:v1").find("could not be started"), std::string::npos) << runtime.message("arn:v1");
    EXPECT_EQ(settled, (std::vector<std::string>{"FAILED"}));
    EXPECT_EQ(runtime.borrow("arn:v1"), nullptr);
    runtime.stop("arn:unknown");  // no-op
    EXPECT_EQ(runtime.state("arn:unknown"), RunState::Stopped);
}

}  // namespace
}  // namespace apiary::service

namespace apiary::service {
namespace {

TEST(RekognitionApiLimits, ThrottlesDetectionsAndRefusesAFullTrainingQueue) {
    test::TempDir tmp;
    const store::DataDir dir(tmp.path() / "data");
    store::ObjectStore objects(dir);
    RekognitionSettings settings;
    settings.max_pending_detections = 0;  // every detection is one too many
    settings.max_queued_trainings = 0;
    RekognitionApi api(dir, objects, settings);
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    EXPECT_EQ(error_of(api, "DetectCustomLabels", {{"ProjectVersionArn", project + "/version/v1/1"}, {"Image", {{"Bytes", ""}}}}),
              "ThrottlingException");
    EXPECT_EQ(error_of(api, "CreateProjectVersion", {{"ProjectArn", project}, {"VersionName", "v1"}}), "LimitExceededException");
}

}  // namespace
}  // namespace apiary::service
