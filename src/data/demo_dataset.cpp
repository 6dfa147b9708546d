#include "data/demo_dataset.h"

#include <opencv2/imgcodecs.hpp>

#include <fstream>

#include "core/error.h"
#include "core/files.h"
#include "data/export.h"
#include "vision/synthetic.h"

namespace apiary::data {
namespace fs = std::filesystem;

DemoDataset write_demo_dataset(const fs::path& dir, size_t count, uint64_t seed) {
    DemoDataset out;
    out.images = dir / "images";
    out.manifest = dir / "output.manifest";
    out.bucket_prefix = "s3://apiary-demo/bees/images";
    fs::create_directories(out.images);
    std::string manifest;
    for (size_t i = 0; i < count; ++i) {
        const int width = 320 + static_cast<int>((i * 37) % 160);
        const int height = 240 + static_cast<int>((i * 53) % 120);
        const auto scene = vision::synthesize_scene(width, height, seed * 100003 + i, {"bee", "flower"});
        char name[32];
        std::snprintf(name, sizeof name, "%05zu.jpg", i + 1);
        const fs::path file = out.images / name;
        if (!cv::imwrite(file.string(), scene.image, {cv::IMWRITE_JPEG_QUALITY, 92}))
            throw Error(Location{file.string()}, "cannot write demo image");
        Entry e;
        e.image_path = file;
        e.image.width = width;
        e.image.height = height;
        for (const auto& o : scene.objects) e.objects.push_back({o.label, o.box});
        out.boxes_written += e.objects.size();
        Json line = Json::parse(to_manifest_line(e, TaskType::ObjectDetection, {"bee-detection", "labeling-job/apiary-demo"}));
        line["source-ref"] = out.bucket_prefix + "/" + name;
        manifest += line.dump() + "\n";
    }
    write_file_atomic(out.manifest, manifest);
    out.images_written = count;
    return out;
}

}  // namespace apiary::data
