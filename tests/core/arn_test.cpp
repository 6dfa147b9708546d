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

TEST(Arn, RejectsMalformedShapes) {
    const std::string p = "arn:aws:rekognition:us-east-1:1:project/";
    EXPECT_TRUE(parse_arn(p + "a/1"));
    EXPECT_TRUE(parse_arn("arn:aws:rekognition:::project/a/1"));  // region and account may be empty
    for (const std::string& bad : {p + "a", p + "a/", p + "/1", p + "a/x1", p + "a/dataset/1", p + "a/model/v/1",
                                   p + "a b/1", p + "a/dataset//1", p + "a/1/", p + "a:b/1",
                                   std::string("arn:aws:rekognition:us-east-1:1:x:project/a/1")})
        EXPECT_FALSE(parse_arn(bad)) << bad;
}

TEST(Arn, ATimestampBeyondInt64IsNotAnArnRatherThanAnException) {
    EXPECT_FALSE(parse_arn("arn:aws:rekognition:us-east-1:1:project/a/9999999999999999999"));
    EXPECT_TRUE(parse_arn("arn:aws:rekognition:us-east-1:1:project/a/9223372036854775807"));
}

TEST(Arn, LongerThanTwoKibibytesIsRefusedWhateverItHolds) {
    const std::string tail = ":1:project/bees/1";
    const std::string fits = "arn:aws:rekognition:" + std::string(kMaxArnLength - 20 - tail.size(), 'r') + tail;
    ASSERT_EQ(fits.size(), kMaxArnLength);
    EXPECT_TRUE(parse_arn(fits));
    EXPECT_FALSE(parse_arn("arn:aws:rekognition:" + std::string(kMaxArnLength, 'r') + tail));
    // A megabyte of name characters: refused without a scan deep enough to matter.
    EXPECT_FALSE(parse_arn("arn:aws:rekognition:us-east-1:1:project/" + std::string(1 << 20, 'a') + "/1"));
}

TEST(Arn, ResourceNames) {
    EXPECT_TRUE(is_valid_resource_name("bee-detection_v1.2"));
    EXPECT_FALSE(is_valid_resource_name(""));
    EXPECT_FALSE(is_valid_resource_name("a/b"));
    EXPECT_FALSE(is_valid_resource_name(".."));
    EXPECT_FALSE(is_valid_resource_name(std::string(256, 'a')));
}
