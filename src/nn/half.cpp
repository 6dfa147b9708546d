#include "nn/half.h"

#include <bit>
#include <cmath>

namespace apiary::nn {

float half_to_float(uint16_t half) {
    // binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
    const uint32_t sign = static_cast<uint32_t>(half >> 15) << 31;
    const uint32_t exponent = (half >> 10) & 0x1F;
    const uint32_t mantissa = half & 0x3FF;

    if (exponent == 0) {
        // Zero or subnormal: value = mantissa * 2^-24. float holds that exactly (it is a
        // normal float), so ldexp is exact; the sign is applied separately to keep -0.
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 0x1F) {
        // Infinity (mantissa 0) or NaN: all-ones float exponent, mantissa moved to the top.
        return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
    }
    // Normal: rebias the exponent from 15 to 127 and widen the mantissa from 10 to 23 bits.
    return std::bit_cast<float>(sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13));
}

}  // namespace apiary::nn
