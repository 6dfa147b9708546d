// Issue 14 in process: the members the reference API's newer programs send and the answers they
// expect, for the operations that need no trained model (training runs in compat_suite_test.py).
#include <gtest/gtest.h>

#include <algorithm>

#include "core/base64.h"
#include "core/files.h"
#include "data/demo_dataset.h"
#include "service/api_error.h"
#include "service/rekognition_api.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {
namespace fs = std::filesystem;

class CompatTest : public ::testing::Test {
protected:
    CompatTest() : dir(tmp.path() / "data"), objects(dir), api(dir, objects) {}

    // The demo dataset's lines, their source-refs rewritten to bucket "demo".
    std::vector<std::string> upload_demo(size_t images) {
        const auto demo = data::write_demo_dataset(tmp.path() / "demo", images, 7);
        objects.create_bucket("demo");
        for (const auto& f : fs::directory_iterator(demo.images))
            objects.put_object_bytes("demo", "bees/images/" + f.path().filename().string(), read_file(f.path()));
        std::string manifest = read_file(demo.manifest);
        for (size_t at; (at = manifest.find("s3://apiary-demo/")) != std::string::npos;) manifest.replace(at, 17, "s3://demo/");
        std::vector<std::string> lines;
        for (size_t start = 0, end; (end = manifest.find('\n', start)) != std::string::npos; start = end + 1)
            lines.push_back(manifest.substr(start, end - start));
        return lines;
    }
    static std::string joined(const std::vector<std::string>& lines) {
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
    std::string error_code(const std::string& op, const Json& req) {
        try {
            api.handle(op, req);
        } catch (const ApiError& e) {
            return e.code();
        }
        return "no error";
    }
    std::string project(const std::string& name) {
        return api.handle("CreateProject", {{"ProjectName", name}})["ProjectArn"];
    }
    Json update(const std::string& dataset, const std::string& text) {
        return api.handle("UpdateDatasetEntries", {{"DatasetArn", dataset}, {"Changes", {{"GroundTruth", base64_encode(text)}}}});
    }
    Json stats(const std::string& dataset) {
        return api.handle("DescribeDataset", {{"DatasetArn", dataset}})["DatasetDescription"]["DatasetStats"];
    }

    test::TempDir tmp;
    store::DataDir dir;
    store::ObjectStore objects;
    RekognitionApi api;
};

TEST_F(CompatTest, CreateProjectKeepsTagsFeatureAndAutoUpdate) {
    const std::string arn = api.handle("CreateProject", {{"ProjectName", "bees"}, {"Feature", "CUSTOM_LABELS"},
                                                         {"AutoUpdate", "ENABLED"}, {"Tags", {{"team", "hive"}}}})["ProjectArn"];
    EXPECT_EQ(api.handle("ListTagsForResource", {{"ResourceArn", arn}})["Tags"], Json({{"team", "hive"}}));
    const Json d = api.handle("DescribeProjects", {{"ProjectNames", {"bees"}}})["ProjectDescriptions"][0];
    EXPECT_EQ(d["Feature"], "CUSTOM_LABELS");
    EXPECT_EQ(d["AutoUpdate"], "ENABLED");
    EXPECT_EQ(error_code("CreateProject", {{"ProjectName", "m"}, {"Feature", "CONTENT_MODERATION"}}), "InvalidParameterException");
    EXPECT_EQ(error_code("CreateProject", {{"ProjectName", "m"}, {"AutoUpdate", "yes"}}), "InvalidParameterException");
    Json many = Json::object();
    for (int i = 0; i < 51; ++i) many[std::to_string(100 + i)] = "v";
    EXPECT_EQ(error_code("CreateProject", {{"ProjectName", "m"}, {"Tags", many}}), "LimitExceededException");
    EXPECT_EQ(error_code("TagResource", {{"ResourceArn", arn}, {"Tags", many}}), "ServiceQuotaExceededException");
    EXPECT_EQ(api.handle("DescribeProjects", {{"ProjectNames", {"m"}}})["ProjectDescriptions"].size(), 0u);
    // The Features filter: every project here is a CUSTOM_LABELS one.
    EXPECT_EQ(api.handle("DescribeProjects", {{"Features", {"CUSTOM_LABELS"}}})["ProjectDescriptions"].size(), 1u);
    EXPECT_EQ(api.handle("DescribeProjects", {{"Features", {"CONTENT_MODERATION"}}})["ProjectDescriptions"].size(), 0u);
    EXPECT_EQ(error_code("DescribeProjects", {{"Features", {"FACES"}}}), "InvalidParameterException");
}

TEST_F(CompatTest, UpdateDatasetEntriesTakesUnlabelledLines) {
    const auto lines = upload_demo(4);
    const std::string p = project("bees");
    const std::string ds = api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    update(ds, joined({lines[0], lines[1]}));
    const std::string ref = Json::parse(lines[2])["source-ref"];
    update(ds, Json{{"source-ref", ref}}.dump() + "\n");
    EXPECT_EQ(stats(ds)["TotalEntries"], 3);
    EXPECT_EQ(stats(ds)["LabeledEntries"], 2);
    const Json unlabelled = api.handle("ListDatasetEntries", {{"DatasetArn", ds}, {"Labeled", false}})["DatasetEntries"];
    ASSERT_EQ(unlabelled.size(), 1u);
    EXPECT_EQ(Json::parse(unlabelled[0].get<std::string>())["source-ref"], ref);
}

TEST_F(CompatTest, AClassificationDatasetFilledByUpdateDatasetEntriesListsItsClasses) {
    const auto lines = upload_demo(4);
    const std::string p = project("kinds");
    const std::string ds = api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    std::string text;
    std::vector<std::string> refs;
    for (const auto& l : lines) refs.push_back(Json::parse(l)["source-ref"]);
    std::sort(refs.begin(), refs.end());
    for (size_t i = 0; i < refs.size(); ++i)
        text += Json{{"source-ref", refs[i]},
                     {"kind", i % 2},
                     {"kind-metadata",
                      {{"class-name", i % 2 ? "idle" : "busy"}, {"confidence", 1}, {"type", "groundtruth/image-classification"},
                       {"job-name", "labeling-job/kinds"}, {"human-annotated", "yes"}, {"creation-date", "2026-01-01T00:00:00"}}}}
                    .dump() +
                "\n";
    update(ds, text);
    EXPECT_EQ(stats(ds)["LabeledEntries"], 4);
    EXPECT_EQ(stats(ds)["TotalLabels"], 2);
    const Json listed = api.handle("ListDatasetEntries", {{"DatasetArn", ds}});  // named: the loop outlives a temporary
    for (const auto& line : listed["DatasetEntries"]) {
        const Json e = Json::parse(line.get<std::string>());
        ASSERT_TRUE(e.contains("kind-metadata")) << e;
        EXPECT_EQ(e["kind-metadata"]["type"], "groundtruth/image-classification") << e;
        EXPECT_EQ(e["kind"], e["kind-metadata"]["class-name"] == "idle" ? 1 : 0) << e;
    }
    const Json busy = api.handle("ListDatasetEntries", {{"DatasetArn", ds}, {"ContainsLabels", {"busy"}}})["DatasetEntries"];
    EXPECT_EQ(busy.size(), 2u);
}

TEST_F(CompatTest, HasErrorsListsTheRejectedLinesUntilTheyAreFixed) {
    const auto lines = upload_demo(4);
    Json bad = Json::parse(lines[3]);
    std::string attribute;
    for (const auto& [k, v] : bad.items())
        if (k.ends_with("-metadata")) attribute = k.substr(0, k.size() - 9);
    bad[attribute]["annotations"][0]["width"] = -5;
    objects.put_object_bytes("demo", "train.manifest", joined({lines[0], lines[1], lines[2], bad.dump()}));
    const std::string p = project("bees");
    const Json source = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}};
    const std::string ds =
        api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}, {"DatasetSource", source}})["DatasetArn"];
    EXPECT_EQ(stats(ds)["ErrorEntries"], 1);
    const Json errors = api.handle("ListDatasetEntries", {{"DatasetArn", ds}, {"HasErrors", true}})["DatasetEntries"];
    ASSERT_EQ(errors.size(), 1u);
    const Json line = Json::parse(errors[0].get<std::string>());
    EXPECT_EQ(line["source-ref"], bad["source-ref"]);
    EXPECT_EQ(line["errors"][0]["code"], "invalid-field") << line;
    EXPECT_NE(line["errors"][0]["field"].get<std::string>().find("width"), std::string::npos) << line;
    // Without HasErrors only the entries themselves.
    EXPECT_EQ(api.handle("ListDatasetEntries", {{"DatasetArn", ds}})["DatasetEntries"].size(), 3u);
    update(ds, lines[3] + "\n");
    EXPECT_TRUE(api.handle("ListDatasetEntries", {{"DatasetArn", ds}, {"HasErrors", true}})["DatasetEntries"].empty());
    EXPECT_EQ(stats(ds)["TotalEntries"], 4);
}

TEST_F(CompatTest, CopyingADatasetOfTheSameProjectCopies) {
    const auto lines = upload_demo(5);
    objects.put_object_bytes("demo", "train.manifest", joined(lines));
    const std::string p = project("bees");
    const Json source = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}};
    const std::string train =
        api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}, {"DatasetSource", source},
                                     {"Tags", {{"split", "train"}}}})["DatasetArn"];
    const std::string test = api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TEST"},
                                                          {"DatasetSource", {{"DatasetArn", train}}}})["DatasetArn"];
    EXPECT_EQ(stats(train)["TotalEntries"], 5);
    EXPECT_EQ(stats(test)["TotalEntries"], 5);
    EXPECT_EQ(api.handle("ListTagsForResource", {{"ResourceArn", train}})["Tags"], Json({{"split", "train"}}));
}

TEST_F(CompatTest, ADatasetOfTheOtherTaskIsABadSourceNotAResourceInUse) {
    const auto lines = upload_demo(3);
    objects.put_object_bytes("demo", "train.manifest", joined(lines));
    std::string classes;
    for (const auto& l : lines)
        classes += Json{{"source-ref", Json::parse(l)["source-ref"]},
                        {"kind", 0},
                        {"kind-metadata", {{"class-name", "busy"}, {"type", "groundtruth/image-classification"}}}}
                       .dump() +
                   "\n";
    objects.put_object_bytes("demo", "classes.manifest", classes);
    const std::string p = project("bees");
    const auto source = [](const std::string& key) {
        return Json{{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", key}}}}}};
    };
    api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}, {"DatasetSource", source("train.manifest")}});
    EXPECT_EQ(error_code("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TEST"}, {"DatasetSource", source("classes.manifest")}}),
              "InvalidParameterException");
}

TEST_F(CompatTest, EntriesListWithTheirOwnAttributeAndMetadata) {
    const auto lines = upload_demo(3);
    objects.put_object_bytes("demo", "train.manifest", joined(lines));
    const std::string p = project("bees");
    const Json source = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}};
    const std::string ds =
        api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}, {"DatasetSource", source}})["DatasetArn"];
    std::map<std::string, Json> given;
    for (const auto& l : lines) given[Json::parse(l)["source-ref"]] = Json::parse(l);
    const Json listed = api.handle("ListDatasetEntries", {{"DatasetArn", ds}, {"NextToken", ""}});
    for (const auto& line : listed["DatasetEntries"]) {
        const Json e = Json::parse(line.get<std::string>());
        const Json& original = given.at(e["source-ref"]);
        for (const auto& [key, value] : original.items()) {
            ASSERT_TRUE(e.contains(key)) << key << " missing from " << e;
            if (!key.ends_with("-metadata")) continue;
            for (const char* k : {"job-name", "creation-date", "human-annotated", "type"}) {
                EXPECT_EQ(e[key][k], value[k]) << k;
            }
        }
    }
}

TEST_F(CompatTest, ProjectPoliciesCarryRevisionIds) {
    const std::string p = project("bees");
    const std::string doc = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "rekognition:CopyProjectVersion"}]})";
    const std::string first =
        api.handle("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}, {"PolicyDocument", doc}})["PolicyRevisionId"];
    EXPECT_EQ(error_code("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}, {"PolicyDocument", doc}}),
              "ResourceAlreadyExistsException");
    EXPECT_EQ(error_code("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "other"}, {"PolicyDocument", doc},
                                              {"PolicyRevisionId", first}}),
              "InvalidPolicyRevisionIdException");
    for (const char* broken : {"not json", "[]", R"({"Statement": []})", R"({"Statement": {"Effect": "Allow"}})",
                               R"({"Statement": [{"Effect": "Perhaps", "Action": "*"}]})"})
        EXPECT_EQ(error_code("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "x"}, {"PolicyDocument", broken}}),
                  "MalformedPolicyDocumentException")
            << broken;
    EXPECT_EQ(error_code("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "bad name"}, {"PolicyDocument", doc}}),
              "InvalidParameterException");
    const std::string second = api.handle("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}, {"PolicyDocument", doc},
                                                               {"PolicyRevisionId", first}})["PolicyRevisionId"];
    EXPECT_NE(first, second);
    const Json listed = api.handle("ListProjectPolicies", {{"ProjectArn", p}})["ProjectPolicies"];
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["PolicyRevisionId"], second);
    EXPECT_EQ(listed[0]["PolicyDocument"], doc);
    EXPECT_EQ(error_code("DeleteProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}, {"PolicyRevisionId", first}}),
              "InvalidPolicyRevisionIdException");
    api.handle("DeleteProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}});
    EXPECT_EQ(error_code("DeleteProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "copy"}}), "ResourceNotFoundException");
    for (int i = 0; i < 5; ++i)
        api.handle("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", std::to_string(i) + "-p"}, {"PolicyDocument", doc}});
    EXPECT_EQ(error_code("PutProjectPolicy", {{"ProjectArn", p}, {"PolicyName", "p9"}, {"PolicyDocument", doc}}),
              "LimitExceededException");
    const Json page = api.handle("ListProjectPolicies", {{"ProjectArn", p}, {"MaxResults", 2}});
    EXPECT_EQ(page["ProjectPolicies"].size(), 2u);
    EXPECT_TRUE(page.contains("NextToken"));
}

TEST_F(CompatTest, CreateProjectVersionChecksItsDataBeforeMakingAVersion) {
    const auto lines = upload_demo(4);
    objects.put_object_bytes("demo", "train.manifest", joined(lines));
    const std::string p = project("legacy");
    const Json asset = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "train.manifest"}}}}}};
    const Json missing = {{"GroundTruthManifest", {{"S3Object", {{"Bucket", "demo"}, {"Name", "nope.manifest"}}}}}};
    auto create = [&](Json extra) {
        Json r = {{"ProjectArn", p}, {"VersionName", "v1"}};
        r.update(extra);
        return error_code("CreateProjectVersion", r);
    };
    EXPECT_EQ(create({{"TrainingData", {{"Assets", {asset}}}}}), "InvalidParameterException");  // no TestingData
    EXPECT_EQ(create({{"TrainingData", {{"Assets", {asset}}}}, {"TestingData", Json::object()}}), "InvalidParameterException");
    EXPECT_EQ(create({{"TrainingData", {{"Assets", {missing}}}}, {"TestingData", {{"AutoCreate", true}}}}),
              "InvalidParameterException");
    EXPECT_EQ(create({{"TrainingData", {{"Assets", Json::array()}}}, {"TestingData", {{"AutoCreate", true}}}}),
              "InvalidParameterException");
    EXPECT_EQ(create({{"TestingData", {{"AutoCreate", true}, {"Assets", {asset}}}}}), "InvalidParameterException");
    EXPECT_EQ(create({{"VersionName", "no/slash"}}), "InvalidParameterException");
    // None of these left a version behind.
    EXPECT_TRUE(api.handle("DescribeProjectVersions", {{"ProjectArn", p}})["ProjectVersionDescriptions"].empty());
    // A project with datasets takes no TrainingData Assets.
    const std::string ds = api.handle("CreateDataset", {{"ProjectArn", p}, {"DatasetType", "TRAIN"}})["DatasetArn"];
    EXPECT_EQ(create({{"TrainingData", {{"Assets", {asset}}}}, {"TestingData", {{"AutoCreate", true}}}}),
              "InvalidParameterException");
    (void)ds;
}

TEST_F(CompatTest, StartProjectVersionRefusesMoreWorkersThanTheServerRuns) {
    const std::string p = project("bees");
    const std::string v = "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/1";
    EXPECT_EQ(error_code("StartProjectVersion", {{"ProjectVersionArn", v}, {"MinInferenceUnits", 9}}), "LimitExceededException");
    EXPECT_EQ(error_code("StartProjectVersion", {{"ProjectVersionArn", v}, {"MinInferenceUnits", 2}, {"MaxInferenceUnits", 1}}),
              "InvalidParameterException");
    (void)p;
}

}  // namespace
}  // namespace apiary::service
