#include <gtest/gtest.h>

#include "nn/base64.h"

namespace apiary::nn {
namespace {

TEST(Base64, DecodesTfjsAttributeStrings) {
    EXPECT_EQ(base64_decode("U0FNRQ=="), "SAME");
    EXPECT_EQ(base64_decode("VkFMSUQ="), "VALID");
    EXPECT_EQ(base64_decode("TkhXQw=="), "NHWC");
    EXPECT_EQ(base64_decode("Qmlhc0FkZA=="), "BiasAdd");
}

TEST(Base64, PaddingIsOptional) {
    EXPECT_EQ(base64_decode("TWE"), "Ma");
    EXPECT_EQ(base64_decode("TWE="), "Ma");
    EXPECT_EQ(base64_decode("TQ"), "M");
    EXPECT_EQ(base64_decode(""), "");
}

TEST(Base64, RejectsInvalidInput) {
    EXPECT_FALSE(base64_decode("U0F!").has_value());
    EXPECT_FALSE(base64_decode("U0F NRQ").has_value());
    EXPECT_FALSE(base64_decode("U").has_value());  // 6 bits cannot make a byte
}

}  // namespace
}  // namespace apiary::nn
