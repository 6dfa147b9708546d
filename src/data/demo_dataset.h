#pragma once
// Writes a small labelled dataset of generated bee/flower scenes as a Ground Truth manifest,
// shaped like the reference bee data (source-refs in an S3 bucket, mapped with --map).
#include <cstdint>
#include <filesystem>
#include <string>

namespace apiary::data {

struct DemoDataset {
    std::filesystem::path manifest;    // <dir>/output.manifest
    std::filesystem::path images;      // <dir>/images
    std::string bucket_prefix;         // s3://apiary-demo/bees/images
    size_t images_written = 0;
    size_t boxes_written = 0;
};

DemoDataset write_demo_dataset(const std::filesystem::path& dir, size_t count, uint64_t seed = 1);

}  // namespace apiary::data
