#include <gtest/gtest.h>

#include "core/arn.h"

using namespace apiary;

TEST(Arn, ProjectDatasetAndVersionHaveTheReferenceShape) {
    ArnScope s;
    EXPECT_EQ(project_arn(s, "bees", 1700000000000), "arn:aws:rekognition:us-east-1:000000000000:project/bees/1700000000000");
    EXPECT_EQ(dataset_arn(s, "bees", "train", 5),
              "arn:aws:rekognition:us-east-1:000000000000:project/bees/dataset/train/5");
    EXPECT_EQ(version_arn(s, "bees", "v1", 7), "arn:aws:rekognition:us-east-1:000000000000:project/bees/version/v1/7");
}

TEST(Arn, ParseRoundTrips) {
    ArnScope s{"eu-west-1", "123456789012"};
    auto p = parse_arn(version_arn(s, "my-proj", "bees.2", 42));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->project, "my-proj");
    EXPECT_EQ(p->kind, "version");
    EXPECT_EQ(p->name, "bees.2");
    EXPECT_EQ(p->created_ms, 42);
    auto d = parse_arn(dataset_arn(s, "x", "test", 1));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->kind, "dataset");
    EXPECT_EQ(d->name, "test");
    EXPECT_EQ(parse_arn(project_arn(s, "x", 3))->kind, "project");
}

TEST(Arn, RejectsForeignStrings) {
    EXPECT_FALSE(parse_arn("bees"));
    EXPECT_FALSE(parse_arn("arn:aws:s3:::bucket"));
    EXPECT_FALSE(parse_arn("arn:aws:rekognition:us-east-1:1:project/a/b/c/d/1"));
}

TEST(Arn, ResourceNames) {
    EXPECT_TRUE(is_valid_resource_name("bee-detection_v1.2"));
    EXPECT_FALSE(is_valid_resource_name(""));
    EXPECT_FALSE(is_valid_resource_name("a/b"));
    EXPECT_FALSE(is_valid_resource_name(".."));
    EXPECT_FALSE(is_valid_resource_name(std::string(256, 'a')));
}
