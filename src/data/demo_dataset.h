#pragma once
// Writes a small labelled dataset of generated bee/flower scenes as a Ground Truth manifest,
// shaped like the reference bee data (source-refs in an S3 bucket, mapped with --map).
#include <opencv2/core.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

struct DemoDataset {
    std::filesystem::path manifest;    // <dir>/output.manifest
    std::filesystem::path images;      // <dir>/images
    std::string bucket_prefix;         // s3://apiary-demo/bees/images
    size_t images_written = 0;
    size_t boxes_written = 0;
};

// Generated pictures written as <dir>/images/00001.jpg, ... with their Ground Truth manifest
// (<dir>/output.manifest, written atomically by finish()), source-refs under `bucket_prefix`.
class GeneratedDatasetWriter {
public:
    GeneratedDatasetWriter(const std::filesystem::path& dir, std::string bucket_prefix, std::string job_name);
    void add(const cv::Mat& image, std::vector<ObjectBox> objects, int jpeg_quality);
    DemoDataset finish();

private:
    DemoDataset out_;
    std::string job_name_;
    std::string manifest_;
};

DemoDataset write_demo_dataset(const std::filesystem::path& dir, size_t count, uint64_t seed = 1);

// Six look-alike labels (lookalike_labels(): three striped insects, three flowers differing in
// petals and colour), 1-4 objects on 640-958 x 480-718 px scenes: the issue 10 case of labels a
// detector must tell apart, and a training-time check on a ~300-image, 6-label set.
DemoDataset write_lookalike_dataset(const std::filesystem::path& dir, size_t count, uint64_t seed = 1);
const std::vector<std::string>& lookalike_labels();

}  // namespace apiary::data
