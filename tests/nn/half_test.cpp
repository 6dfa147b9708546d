#include <gtest/gtest.h>

#include <c10/util/Half.h>

#include <bit>
#include <cmath>
#include <limits>

#include "nn/half.h"

namespace apiary::nn {
namespace {

TEST(HalfToFloat, HandComputedValues) {
    EXPECT_EQ(half_to_float(0x3C00), 1.0f);
    EXPECT_EQ(half_to_float(0xC000), -2.0f);
    EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);                 // largest finite half
    EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);          // 1/3 rounded to 10 bits
    EXPECT_EQ(half_to_float(0x3155), 0.1666259765625f);         // the graph's "1/6" constants
    EXPECT_EQ(half_to_float(0x0400), 6.103515625e-05f);         // smallest normal, 2^-14
    EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));    // smallest subnormal, 5.960464e-8
    EXPECT_FLOAT_EQ(half_to_float(0x0001), 5.960464e-8f);
    EXPECT_EQ(half_to_float(0x03FF), std::ldexp(1023.0f, -24)); // largest subnormal
    EXPECT_EQ(half_to_float(0x8001), -std::ldexp(1.0f, -24));
}

TEST(HalfToFloat, ZerosKeepTheirSign) {
    EXPECT_EQ(half_to_float(0x0000), 0.0f);
    EXPECT_FALSE(std::signbit(half_to_float(0x0000)));
    EXPECT_EQ(half_to_float(0x8000), 0.0f);
    EXPECT_TRUE(std::signbit(half_to_float(0x8000)));
}

TEST(HalfToFloat, InfinityAndNan) {
    EXPECT_EQ(half_to_float(0x7C00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(half_to_float(0xFC00), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(half_to_float(0x7E00)));
    EXPECT_TRUE(std::isnan(half_to_float(0x7C01)));  // signalling NaN stays NaN, not inf
    EXPECT_TRUE(std::isnan(half_to_float(0xFFFF)));
}

TEST(HalfToFloat, AgreesWithC10HalfOnEveryBitPattern) {
    for (uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
        const float ours = half_to_float(static_cast<uint16_t>(bits));
        const float reference = static_cast<float>(c10::Half(static_cast<uint16_t>(bits), c10::Half::from_bits()));
        if (std::isnan(reference)) {
            EXPECT_TRUE(std::isnan(ours)) << std::hex << bits;
        } else {
            EXPECT_EQ(std::bit_cast<uint32_t>(ours), std::bit_cast<uint32_t>(reference)) << std::hex << bits;
        }
    }
}

}  // namespace
}  // namespace apiary::nn
