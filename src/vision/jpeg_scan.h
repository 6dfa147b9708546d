#pragma once
// How much of a JPEG that lacks its end marker is really there. A file cut a few hundred bytes
// short still decodes (the decoder fills the last blocks with flat colour); one cut in half does
// not usefully. Telling them apart means walking the entropy-coded data — no pixel decode, but a
// read of the whole file, so callers use it only for files whose probe says complete == false.
#include <filesystem>
#include <string_view>

namespace apiary::vision {

// The share (0..1) of the frame's MCUs present in the scan data of a sequential Huffman JPEG
// (SOF0/SOF1), taking the least-covered component. 0 for progressive, lossless or arithmetic-coded
// files, which are not walked, and for malformed data.
double jpeg_scan_coverage(std::string_view jpeg);

// The same for a file; throws apiary::Error naming the path if it cannot be read.
double jpeg_scan_coverage_file(const std::filesystem::path& path);

}  // namespace apiary::vision
