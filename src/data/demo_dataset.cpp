#include "data/demo_dataset.h"

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

#include "core/error.h"
#include "core/files.h"
#include "data/export.h"
#include "vision/synthetic.h"

namespace apiary::data {
namespace fs = std::filesystem;

GeneratedDatasetWriter::GeneratedDatasetWriter(const fs::path& dir, std::string bucket_prefix, std::string job_name)
    : job_name_(std::move(job_name)) {
    out_.images = dir / "images";
    out_.manifest = dir / "output.manifest";
    out_.bucket_prefix = std::move(bucket_prefix);
    fs::create_directories(out_.images);
}

void GeneratedDatasetWriter::add(const cv::Mat& image, std::vector<ObjectBox> objects, int jpeg_quality) {
    char name[32];
    std::snprintf(name, sizeof name, "%05zu.jpg", out_.images_written + 1);
    const fs::path file = out_.images / name;
    if (!cv::imwrite(file.string(), image, {cv::IMWRITE_JPEG_QUALITY, jpeg_quality}))
        throw Error(Location{file.string()}, "cannot write a generated image");
    Entry e;
    e.source_ref = out_.bucket_prefix + "/" + name;
    e.image.width = image.cols;
    e.image.height = image.rows;
    e.objects = std::move(objects);
    manifest_ += to_manifest_line(e, TaskType::ObjectDetection, {"bee-detection", job_name_}) + "\n";
    out_.boxes_written += e.objects.size();
    ++out_.images_written;
}

DemoDataset GeneratedDatasetWriter::finish() {
    write_file_atomic(out_.manifest, manifest_);
    return out_;
}

namespace {

DemoDataset write_scenes(const fs::path& dir, const std::string& bucket_prefix, size_t count, uint64_t seed,
                         const std::vector<std::string>& labels, int scale, int max_objects) {
    GeneratedDatasetWriter writer(dir, bucket_prefix, "labeling-job/apiary-demo");
    for (size_t i = 0; i < count; ++i) {
        const int width = (320 + static_cast<int>((i * 37) % 160)) * scale;
        const int height = (240 + static_cast<int>((i * 53) % 120)) * scale;
        const auto scene = vision::synthesize_scene(width, height, seed * 100003 + i, labels, max_objects);
        std::vector<ObjectBox> objects;
        for (const auto& o : scene.objects) objects.push_back({o.label, o.box});
        writer.add(scene.image, std::move(objects), 92);
    }
    return writer.finish();
}

}  // namespace

DemoDataset write_demo_dataset(const fs::path& dir, size_t count, uint64_t seed) {
    return write_scenes(dir, "s3://apiary-demo/bees/images", count, seed, {"bee", "flower"}, 1, 3);
}

DemoDataset write_lookalike_dataset(const fs::path& dir, size_t count, uint64_t seed) {
    // Per seed, as the dense scenes': a training and a test set drawn with two seeds import into
    // one project without sharing source-refs (an import keys its entries by them).
    return write_scenes(dir, "s3://apiary-demo/lookalike/seed-" + std::to_string(seed) + "/images", count, seed,
                        lookalike_labels(), 2, 4);
}

const std::vector<std::string>& lookalike_labels() {
    static const std::vector<std::string> labels = {"bee", "wasp", "hoverfly", "flower", "daisy", "buttercup"};
    return labels;
}

}  // namespace apiary::data
