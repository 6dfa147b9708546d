#include <gtest/gtest.h>

#include "core/base64.h"

namespace apiary {
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

TEST(Base64, EncodeRoundTripsEveryLength) {
    EXPECT_EQ(base64_encode("Ma"), "TWE=");
    EXPECT_EQ(base64_encode("M"), "TQ==");
    EXPECT_EQ(base64_encode("SAME"), "U0FNRQ==");
    std::string bytes;
    for (int i = 0; i < 40; ++i) {
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << i;
        bytes.push_back(static_cast<char>(i * 37 + 200));
    }
}

}  // namespace
}  // namespace apiary
