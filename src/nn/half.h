#pragma once
// IEEE 754 binary16 ("half") to binary32 conversion. TF.js stores float32 weights as float16
// when a model is converted with --quantize_float16; this is how they are widened back.
#include <cstdint>

namespace apiary::nn {

// Exact for every input: normals and subnormals map to the same real number, ±0 keeps its
// sign, ±inf stays infinite, and NaNs stay NaN (payload shifted into the float mantissa).
float half_to_float(uint16_t half);

}  // namespace apiary::nn
