// RekognitionApi in process (no HTTP): request shapes in, response shapes and the reference
// service's exception names out. Training and detection run in the end-to-end client tests.
#include <gtest/gtest.h>

#include <set>
#include <typeinfo>

#include "core/base64.h"
#include "core/files.h"
#include "data/demo_dataset.h"
#include "service/api_error.h"
#include "service/model_runtime.h"
#include "service/rekognition_api.h"
#include "train/project_training.h"
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
              "InvalidParameterException");  // the test dataset is no longer empty (no ResourceInUse documented)
}

TEST_F(RekognitionApiTest, DatasetsReportTheirLifecycleAsTheReferenceDoes) {
    const std::string manifest = upload_demo(4);
    const std::string project = api.handle("CreateProject", {{"ProjectName", "bees"}})["ProjectArn"];
    const std::string train = api.handle("CreateDataset", {{"ProjectArn", project}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    const auto status = [&] {
        const Json d = api.handle("DescribeDataset", {{"DatasetArn", train}})["DatasetDescription"];
        const Json p = api.handle("DescribeProjects", Json::object())["ProjectDescriptions"][0]["Datasets"][0];
        EXPECT_EQ(p["Status"], d["Status"]);  // DescribeProjects says the same
        return d["Status"].get<std::string>() + " " + d["StatusMessageCode"].get<std::string>();
    };
    EXPECT_EQ(status(), "CREATE_COMPLETE SUCCESS");  // what the published create-dataset programs wait for
    api.handle("UpdateDatasetEntries", {{"DatasetArn", train}, {"Changes", {{"GroundTruth", base64_encode(manifest)}}}});
    EXPECT_EQ(status(), "UPDATE_COMPLETE SUCCESS");
    const std::string missing = R"({"source-ref":"s3://demo/none.jpg"})";
    EXPECT_EQ(error_code("UpdateDatasetEntries", {{"DatasetArn", train}, {"Changes", {{"GroundTruth", base64_encode(missing)}}}}),
              "InvalidParameterException");
    EXPECT_EQ(status(), "UPDATE_FAILED CLIENT_ERROR");
    const Json failed = api.handle("DescribeDataset", {{"DatasetArn", train}})["DatasetDescription"];
    EXPECT_NE(failed["StatusMessage"].get<std::string>().find("none.jpg"), std::string::npos);
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
    EXPECT_EQ(error_code("TagResource", {{"ResourceArn", project}, {"Tags", many}}), "ServiceQuotaExceededException");  // as TagResource documents
    EXPECT_EQ(error_code("TagResource", {{"ResourceArn", project}, {"Tags", {{"aws:x", "1"}}}}), "InvalidParameterException");
}

TEST_F(RekognitionApiTest, DescribeReadsTheRuntimesStateBeforeTheCatalogCatchesUp) {
    // A model the runtime has just settled as stopped while the catalog still says RUNNING (the
    // moment between the two writes): describe answers STOPPED, never the state before the stop.
    const Json project = api.handle("CreateProject", {{"ProjectName", "bees"}});
    std::string version_arn;
    api.with_catalog([&](store::Catalog& c) {
        const auto p = c.project("bees");
        c.import(p, data::ImportReport{}, std::string("train"), "");
        auto v = train::create_pending_version(c, "bees", "v1", train::TrainConfig{});
        c.update_version(v, store::VersionStatus::Running, "The model is running.", Json::object());
        version_arn = v.arn;
        return 0;
    });
    const Json described = api.handle("DescribeProjectVersions", {{"ProjectArn", project.at("ProjectArn")}});
    EXPECT_EQ(described.at("ProjectVersionDescriptions").at(0).at("Status"), "STOPPED");
}

TEST(ModelRuntime, AModelThatCannotLoadEndsFailedWithTheReason) {
    test::TempDir tmp;
    std::vector<std::string> settled;
    ModelRuntime runtime(1, [&](const std::string&, RunState s, const std::string&) { settled.push_back(to_string(to_version_status(s))); });
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

namespace apiary::service {
namespace {

// Every member every operation reads, fired at with values of the wrong type or out of range:
// each must be a 400 InvalidParameterException naming the member, never a nlohmann type_error
// (which the server would answer 500) or an answer as if the value were fine.
enum class Kind { String, StringList, StringMap, Object, ObjectList, Bool, Integer, Number };

std::vector<Json> bad_values(Kind kind) {
    const Json s = "text", n = 7, f = 1.5, t = true, a = Json::array(), o = Json::object();
    switch (kind) {
        case Kind::String: return {n, f, t, a, o, Json::array({"x"}), Json{{"S", "x"}}};
        case Kind::StringList: return {s, n, o, Json::array({1}), Json::array({"x", Json::object()}), Json::array({true})};
        case Kind::StringMap: return {s, n, a, Json{{"k", 1}}, Json{{"k", Json::object()}}, Json{{"k", Json::array()}}};
        case Kind::Object: return {s, n, f, t, a};
        case Kind::ObjectList: return {s, n, o, Json::array({"x"}), Json::array({1})};
        case Kind::Bool: return {s, n, a, o, Json("true")};
        case Kind::Integer: return {s, Json("10"), f, Json(1e300), Json(-1), Json(-1e300), t, a, o};
        case Kind::Number: return {s, Json("50"), Json(1e300), Json(-1), Json(101), t, a, o};
    }
    return {};
}

struct MemberCase {
    const char* operation;
    const char* pointer;  // where in the request, as a JSON pointer
    const char* name;     // how the error must name it
    Kind kind;
};

const std::string kNoProject = "arn:aws:rekognition:us-east-1:000000000000:project/nope/1";
const std::string kNoDataset = "arn:aws:rekognition:us-east-1:000000000000:project/nope/dataset/train/1";
const std::string kNoVersion = "arn:aws:rekognition:us-east-1:000000000000:project/nope/version/v1/1";

// A well-typed request per operation; it fails, if at all, only later (the project "nope" does
// not exist), so a mutated one failing with InvalidParameterException failed for its mutation.
Json base_request(const std::string& op) {
    const Json s3 = {{"Bucket", "demo"}, {"Name", "x.jpg"}};
    static const std::map<std::string, Json> bases = {
        {"CreateProject", {{"ProjectName", "typed"}}},
        {"DescribeProjects", {{"ProjectNames", {"a"}}, {"MaxResults", 10}}},
        {"DeleteProject", {{"ProjectArn", kNoProject}}},
        {"CreateDataset",
         {{"ProjectArn", kNoProject}, {"DatasetType", "TRAIN"}, {"DatasetSource", {{"GroundTruthManifest", {{"S3Object", s3}}}}}}},
        {"DescribeDataset", {{"DatasetArn", kNoDataset}}},
        {"ListDatasetEntries", {{"DatasetArn", kNoDataset}, {"Labeled", true}, {"MaxResults", 5}}},
        {"ListDatasetLabels", {{"DatasetArn", kNoDataset}}},
        {"UpdateDatasetEntries", {{"DatasetArn", kNoDataset}, {"Changes", {{"GroundTruth", "e30K"}}}}},
        {"DistributeDatasetEntries", {{"Datasets", Json::array({{{"Arn", kNoDataset}}, {{"Arn", kNoDataset}}})}}},
        {"DeleteDataset", {{"DatasetArn", kNoDataset}}},
        {"CreateProjectVersion",
         {{"ProjectArn", kNoProject}, {"VersionName", "v1"}, {"OutputConfig", {{"S3Bucket", "demo"}, {"S3KeyPrefix", "p/"}}}}},
        {"DescribeProjectVersions", {{"ProjectArn", kNoProject}}},
        {"StartProjectVersion", {{"ProjectVersionArn", kNoVersion}, {"MinInferenceUnits", 1}}},
        {"StopProjectVersion", {{"ProjectVersionArn", kNoVersion}}},
        {"DeleteProjectVersion", {{"ProjectVersionArn", kNoVersion}}},
        {"DetectCustomLabels", {{"ProjectVersionArn", kNoVersion}, {"Image", {{"S3Object", s3}}}, {"MinConfidence", 50}}},
        {"TagResource", {{"ResourceArn", kNoProject}, {"Tags", {{"k", "v"}}}}},
        {"UntagResource", {{"ResourceArn", kNoProject}, {"TagKeys", {"k"}}}},
        {"ListTagsForResource", {{"ResourceArn", kNoProject}}},
        {"CopyProjectVersion",
         {{"SourceProjectArn", kNoProject}, {"SourceProjectVersionArn", kNoVersion}, {"DestinationProjectArn", kNoProject},
          {"VersionName", "v2"}, {"OutputConfig", {{"S3Bucket", "demo"}, {"S3KeyPrefix", "p/"}}}, {"Tags", {{"k", "v"}}},
          {"KmsKeyId", "key"}}},
        {"PutProjectPolicy",
         {{"ProjectArn", kNoProject}, {"PolicyName", "p"}, {"PolicyRevisionId", "ab"},
          {"PolicyDocument", R"({"Statement": {"Effect": "Allow", "Action": "*"}})"}}},
        {"ListProjectPolicies", {{"ProjectArn", kNoProject}, {"MaxResults", 5}}},
        {"DeleteProjectPolicy", {{"ProjectArn", kNoProject}, {"PolicyName", "p"}, {"PolicyRevisionId", "ab"}}},
    };
    if (op == "CreateProjectVersion") {
        Json r = bases.at(op);
        const Json asset = {{"GroundTruthManifest", {{"S3Object", s3}}}};
        r["TrainingData"] = {{"Assets", Json::array({asset})}};
        r["TestingData"] = {{"Assets", Json::array({asset})}};
        r["KmsKeyId"] = "key";
        return r;
    }
    if (op == "CreateProject") return {{"ProjectName", "typed"}, {"Feature", "CUSTOM_LABELS"}, {"AutoUpdate", "ENABLED"},
                                       {"Tags", {{"k", "v"}}}};
    if (op == "CreateDataset") {
        Json r = bases.at(op);
        r["Tags"] = {{"k", "v"}};
        return r;
    }
    return bases.at(op);
}

const std::vector<MemberCase>& member_cases() {
    static const std::vector<MemberCase> cases = {
        {"CreateProject", "/ProjectName", "ProjectName", Kind::String},
        {"DescribeProjects", "/ProjectNames", "ProjectNames", Kind::StringList},
        {"DescribeProjects", "/MaxResults", "MaxResults", Kind::Integer},
        {"DescribeProjects", "/NextToken", "NextToken", Kind::String},
        {"DeleteProject", "/ProjectArn", "ProjectArn", Kind::String},
        {"CreateDataset", "/ProjectArn", "ProjectArn", Kind::String},
        {"CreateDataset", "/DatasetType", "DatasetType", Kind::String},
        {"CreateDataset", "/DatasetSource", "DatasetSource", Kind::Object},
        {"CreateDataset", "/DatasetSource/GroundTruthManifest", "DatasetSource.GroundTruthManifest", Kind::Object},
        {"CreateDataset", "/DatasetSource/GroundTruthManifest/S3Object", "DatasetSource.GroundTruthManifest.S3Object", Kind::Object},
        {"CreateDataset", "/DatasetSource/GroundTruthManifest/S3Object/Bucket", "DatasetSource.GroundTruthManifest.S3Object.Bucket", Kind::String},
        {"CreateDataset", "/DatasetSource/GroundTruthManifest/S3Object/Name", "DatasetSource.GroundTruthManifest.S3Object.Name", Kind::String},
        {"CreateDataset", "/DatasetSource/DatasetArn", "DatasetSource.DatasetArn", Kind::String},
        {"DescribeDataset", "/DatasetArn", "DatasetArn", Kind::String},
        {"ListDatasetEntries", "/DatasetArn", "DatasetArn", Kind::String},
        {"ListDatasetEntries", "/ContainsLabels", "ContainsLabels", Kind::StringList},
        {"ListDatasetEntries", "/Labeled", "Labeled", Kind::Bool},
        {"ListDatasetEntries", "/HasErrors", "HasErrors", Kind::Bool},
        {"ListDatasetEntries", "/SourceRefContains", "SourceRefContains", Kind::String},
        {"ListDatasetEntries", "/MaxResults", "MaxResults", Kind::Integer},
        {"ListDatasetEntries", "/NextToken", "NextToken", Kind::String},
        {"ListDatasetLabels", "/DatasetArn", "DatasetArn", Kind::String},
        {"ListDatasetLabels", "/MaxResults", "MaxResults", Kind::Integer},
        {"ListDatasetLabels", "/NextToken", "NextToken", Kind::String},
        {"UpdateDatasetEntries", "/DatasetArn", "DatasetArn", Kind::String},
        {"UpdateDatasetEntries", "/Changes", "Changes", Kind::Object},
        {"UpdateDatasetEntries", "/Changes/GroundTruth", "Changes.GroundTruth", Kind::String},
        {"DistributeDatasetEntries", "/Datasets", "Datasets", Kind::ObjectList},
        {"DistributeDatasetEntries", "/Datasets/0", "Datasets[0]", Kind::Object},
        {"DistributeDatasetEntries", "/Datasets/1/Arn", "Datasets[1].Arn", Kind::String},
        {"DeleteDataset", "/DatasetArn", "DatasetArn", Kind::String},
        {"CreateProjectVersion", "/ProjectArn", "ProjectArn", Kind::String},
        {"CreateProjectVersion", "/VersionName", "VersionName", Kind::String},
        {"CreateProjectVersion", "/OutputConfig", "OutputConfig", Kind::Object},
        {"CreateProjectVersion", "/OutputConfig/S3Bucket", "OutputConfig.S3Bucket", Kind::String},
        {"CreateProjectVersion", "/OutputConfig/S3KeyPrefix", "OutputConfig.S3KeyPrefix", Kind::String},
        {"CreateProjectVersion", "/VersionDescription", "VersionDescription", Kind::String},
        {"CreateProjectVersion", "/Tags", "Tags", Kind::StringMap},
        {"DescribeProjectVersions", "/ProjectArn", "ProjectArn", Kind::String},
        {"DescribeProjectVersions", "/VersionNames", "VersionNames", Kind::StringList},
        {"DescribeProjectVersions", "/MaxResults", "MaxResults", Kind::Integer},
        {"DescribeProjectVersions", "/NextToken", "NextToken", Kind::String},
        {"StartProjectVersion", "/ProjectVersionArn", "ProjectVersionArn", Kind::String},
        {"StartProjectVersion", "/MinInferenceUnits", "MinInferenceUnits", Kind::Integer},
        {"StartProjectVersion", "/MaxInferenceUnits", "MaxInferenceUnits", Kind::Integer},
        {"StopProjectVersion", "/ProjectVersionArn", "ProjectVersionArn", Kind::String},
        {"DeleteProjectVersion", "/ProjectVersionArn", "ProjectVersionArn", Kind::String},
        {"DetectCustomLabels", "/ProjectVersionArn", "ProjectVersionArn", Kind::String},
        {"DetectCustomLabels", "/Image", "Image", Kind::Object},
        {"DetectCustomLabels", "/Image/Bytes", "Image.Bytes", Kind::String},
        {"DetectCustomLabels", "/Image/S3Object", "Image.S3Object", Kind::Object},
        {"DetectCustomLabels", "/Image/S3Object/Bucket", "Image.S3Object.Bucket", Kind::String},
        {"DetectCustomLabels", "/Image/S3Object/Name", "Image.S3Object.Name", Kind::String},
        {"DetectCustomLabels", "/MinConfidence", "MinConfidence", Kind::Number},
        {"DetectCustomLabels", "/MaxResults", "MaxResults", Kind::Integer},
        {"TagResource", "/ResourceArn", "ResourceArn", Kind::String},
        {"TagResource", "/Tags", "Tags", Kind::StringMap},
        {"UntagResource", "/ResourceArn", "ResourceArn", Kind::String},
        {"UntagResource", "/TagKeys", "TagKeys", Kind::StringList},
        {"ListTagsForResource", "/ResourceArn", "ResourceArn", Kind::String},
        {"CreateProject", "/Tags", "Tags", Kind::StringMap},
        {"DescribeProjects", "/Features", "Features", Kind::StringList},
        {"CreateProject", "/Feature", "Feature", Kind::String},
        {"CreateProject", "/AutoUpdate", "AutoUpdate", Kind::String},
        {"CreateDataset", "/Tags", "Tags", Kind::StringMap},
        {"CreateProjectVersion", "/KmsKeyId", "KmsKeyId", Kind::String},
        {"CreateProjectVersion", "/TrainingData", "TrainingData", Kind::Object},
        {"CreateProjectVersion", "/TrainingData/Assets", "TrainingData.Assets", Kind::ObjectList},
        {"CreateProjectVersion", "/TrainingData/Assets/0/GroundTruthManifest", "TrainingData.Assets[0].GroundTruthManifest", Kind::Object},
        {"CreateProjectVersion", "/TrainingData/Assets/0/GroundTruthManifest/S3Object/Name",
         "TrainingData.Assets[0].GroundTruthManifest.S3Object.Name", Kind::String},
        {"CreateProjectVersion", "/TestingData", "TestingData", Kind::Object},
        {"CreateProjectVersion", "/TestingData/Assets/0/GroundTruthManifest/S3Object/Bucket",
         "TestingData.Assets[0].GroundTruthManifest.S3Object.Bucket", Kind::String},
        {"CreateProjectVersion", "/TestingData/AutoCreate", "TestingData.AutoCreate", Kind::Bool},
        {"CopyProjectVersion", "/SourceProjectArn", "SourceProjectArn", Kind::String},
        {"CopyProjectVersion", "/SourceProjectVersionArn", "SourceProjectVersionArn", Kind::String},
        {"CopyProjectVersion", "/DestinationProjectArn", "DestinationProjectArn", Kind::String},
        {"CopyProjectVersion", "/VersionName", "VersionName", Kind::String},
        {"CopyProjectVersion", "/OutputConfig", "OutputConfig", Kind::Object},
        {"CopyProjectVersion", "/OutputConfig/S3Bucket", "OutputConfig.S3Bucket", Kind::String},
        {"CopyProjectVersion", "/Tags", "Tags", Kind::StringMap},
        {"CopyProjectVersion", "/KmsKeyId", "KmsKeyId", Kind::String},
        {"PutProjectPolicy", "/ProjectArn", "ProjectArn", Kind::String},
        {"PutProjectPolicy", "/PolicyName", "PolicyName", Kind::String},
        {"PutProjectPolicy", "/PolicyRevisionId", "PolicyRevisionId", Kind::String},
        {"PutProjectPolicy", "/PolicyDocument", "PolicyDocument", Kind::String},
        {"ListProjectPolicies", "/ProjectArn", "ProjectArn", Kind::String},
        {"ListProjectPolicies", "/MaxResults", "MaxResults", Kind::Integer},
        {"ListProjectPolicies", "/NextToken", "NextToken", Kind::String},
        {"DeleteProjectPolicy", "/ProjectArn", "ProjectArn", Kind::String},
        {"DeleteProjectPolicy", "/PolicyName", "PolicyName", Kind::String},
        {"DeleteProjectPolicy", "/PolicyRevisionId", "PolicyRevisionId", Kind::String},
    };
    return cases;
}

// The exception `op` answers with and its message; a non-ApiError exception fails the test.
std::pair<std::string, std::string> answer(RekognitionApi& api, const std::string& op, const Json& req) {
    try {
        api.handle(op, req);
    } catch (const ApiError& e) {
        return {e.code(), e.what()};
    } catch (const std::exception& e) {
        ADD_FAILURE() << op << " threw a " << typeid(e).name() << ": " << e.what();
        return {"not an ApiError", e.what()};
    }
    return {"no error", ""};
}

TEST(RekognitionApiTyping, EveryOperationRefusesWronglyTypedMembersNamingThem) {
    test::TempDir tmp;
    const store::DataDir dir(tmp.path() / "data");
    store::ObjectStore objects(dir);
    objects.create_bucket("demo");
    RekognitionApi api(dir, objects);

    std::set<std::string> covered;
    for (const auto& c : member_cases()) covered.insert(c.operation);
    for (const char* op : {"CreateProject", "DescribeProjects", "DeleteProject", "CreateDataset", "DescribeDataset",
                           "ListDatasetEntries", "ListDatasetLabels", "UpdateDatasetEntries", "DistributeDatasetEntries",
                           "DeleteDataset", "CreateProjectVersion", "DescribeProjectVersions", "StartProjectVersion",
                           "StopProjectVersion", "DeleteProjectVersion", "DetectCustomLabels", "TagResource",
                           "UntagResource", "ListTagsForResource", "CopyProjectVersion", "PutProjectPolicy",
                           "ListProjectPolicies", "DeleteProjectPolicy"}) {
        EXPECT_TRUE(api.knows(op)) << op;
        EXPECT_TRUE(covered.contains(op)) << op << " has no typing cases";
        const auto [code, message] = answer(api, op, base_request(op));
        EXPECT_NE(code, "InvalidParameterException") << op << " refuses its well-typed base request: " << message;
    }

    size_t fired = 0;
    for (const auto& c : member_cases()) {
        for (const Json& bad : bad_values(c.kind)) {
            Json req = base_request(c.operation);
            req[Json::json_pointer(c.pointer)] = bad;
            SCOPED_TRACE(std::string(c.operation) + " " + req.dump());
            const auto [code, message] = answer(api, c.operation, req);
            EXPECT_EQ(code, "InvalidParameterException") << message;
            EXPECT_NE(message.find(c.name), std::string::npos) << message;
            ++fired;
        }
    }
    EXPECT_GT(fired, 300u);
}

TEST(RekognitionApiTyping, LongArnsAreRefusedWithoutBeingEchoedWhole) {
    test::TempDir tmp;
    const store::DataDir dir(tmp.path() / "data");
    store::ObjectStore objects(dir);
    RekognitionApi api(dir, objects);
    const std::string huge = "arn:aws:rekognition:us-east-1:000000000000:project/" + std::string(100000, 'a') + "/1";
    const auto [code, message] = answer(api, "DescribeProjectVersions", {{"ProjectArn", huge}});
    EXPECT_EQ(code, "InvalidParameterException");
    EXPECT_LT(message.size(), 400u) << message.substr(0, 400);
    EXPECT_NE(message.find(std::to_string(huge.size()) + " bytes"), std::string::npos) << message.substr(0, 400);
}

}  // namespace
}  // namespace apiary::service
