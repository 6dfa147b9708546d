// apiary demo-data: writes the self-contained demo dataset the README's main job uses, or
// (--dense) frames of hundreds of small bees for the dense-scene benchmark, or (--small) large
// frames of a few bees under 3% of the image side for the small-object (tiling) benchmark, or
// (--lookalike) scenes of six look-alike labels for the multi-label benchmark.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "data/demo_dataset.h"
#include "data/dense_scenes.h"
#include "data/shape_classes.h"

namespace apiary::cli {

void add_demo_commands(CLI::App& app, Context& ctx) {
    struct Options {
        std::string dir;
        size_t images = 120;
        uint64_t seed = 1;
        bool dense = false;
        bool small = false;
        bool shapes = false;
        bool lookalike = false;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("demo-data", "generate a labelled bee/flower dataset (Ground Truth manifest)");
    cmd->add_option("dir", o->dir, "output folder")->required();
    cmd->add_option("--images", o->images, "number of images")->capture_default_str()->check(CLI::Range(1, 100000));
    cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
    cmd->add_flag("--dense", o->dense, "640x640 frames of honeycomb with 200-260 bees of 20-30 px each");
    cmd->add_flag("--small", o->small, "1600x1200 frames of honeycomb with 15-40 bees of 24-36 px each (1.5-2.3% of the side)");
    cmd->add_flag("--lookalike", o->lookalike,
                  "six look-alike labels (bee, wasp, hoverfly; flower, daisy, buttercup), 1-4 per 640-958 px scene");
    cmd->add_flag("--shapes", o->shapes,
                  "a classification dataset instead: folders circle/, square/, triangle/ of --images 128 px pictures each");
    cmd->callback([&ctx, o] {
        if (o->shapes) {
            const size_t n = o->images;
            const size_t written =
                data::write_shape_folders(o->dir, {{"circle", n}, {"square", n}, {"triangle", n}}, 128, o->seed);
            ctx.emit({{"Folder", o->dir}, {"Images", written}}, [&] {
                std::cout << "wrote " << written << " images in label folders under " << o->dir
                          << "\n  import with: apiary dataset import PROJECT --source " << o->dir << " --format folder\n";
            });
            return;
        }
        const auto demo = o->dense   ? data::write_dense_dataset(o->dir, o->images, o->seed)
                          : o->small ? data::write_dense_dataset(o->dir, o->images, o->seed, data::small_object_scenes())
                          : o->lookalike ? data::write_lookalike_dataset(o->dir, o->images, o->seed)
                                         : data::write_demo_dataset(o->dir, o->images, o->seed);
        const std::string map = demo.bucket_prefix + "=" + demo.images.string();
        ctx.emit({{"Manifest", demo.manifest.string()},
                  {"Images", demo.images_written},
                  {"Boxes", demo.boxes_written},
                  {"Map", map}},
                 [&] {
                     std::cout << "wrote " << demo.images_written << " images with " << demo.boxes_written
                               << " boxes\n  manifest " << demo.manifest.string() << "\n  import with: apiary dataset import PROJECT --manifest "
                               << demo.manifest.string() << " --map " << map << "\n";
                 });
    });
}

}  // namespace apiary::cli
