// The walk over a JPEG's Huffman-coded scan data that tells a slightly truncated file (kept)
// from one cut in half (rejected). It must return a share in [0, 1] for any bytes.
#include <cmath>

#include "fuzz_support.h"
#include "vision/jpeg_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const double coverage = apiary::vision::jpeg_scan_coverage(apiary::fuzz::bytes_of(data, size));
    APIARY_FUZZ_CHECK(std::isfinite(coverage) && coverage >= 0 && coverage <= 1);
    return 0;
}
