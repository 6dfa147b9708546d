#pragma once
// Dataset import: any supported format → validated entries plus a list of issues.
// Bad records are reported and left out; the good records around them are always kept.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/entry.h"

namespace apiary::data {

enum class Format { Auto, GroundTruth, Voc, Coco, Yolo, Folder };
std::string to_string(Format f);
std::optional<Format> parse_format(const std::string& name);  // "groundtruth", "voc", ...

// The reference service's limits on training images, except the box count: it refuses more
// than 50 boxes per image, which a frame of honeycomb exceeds many times over, so Apiary keeps
// such images and only notes (issue "many-boxes") that the reference service would not.
struct ValidationLimits {
    static constexpr int kReferenceMaxBoxes = 50;
    // The decoder keeps at most 5000 peaks (twice the densest training image's boxes), so a
    // model could not return every object of a denser image.
    static constexpr int kMaxBoxesCeiling = 2500;

    int min_side = 64;
    int max_side = 4096;
    int64_t max_file_bytes = 15 * 1024 * 1024;
    int max_boxes = 1000;  // more is rejected ("too-many-boxes"); 1..kMaxBoxesCeiling
};

// `--map s3://bucket/prefix=DIR`: a source-ref starting with `prefix` is read from DIR.
struct PathMapping {
    std::string prefix;
    std::filesystem::path dir;
    static PathMapping parse(const std::string& spec);  // throws Error on a missing '='
};

// Resolves a source-ref the caller stores itself (the service's own S3 buckets) to the file
// holding its bytes; nullopt passes the ref on to `maps` (or, confined, refuses it); an empty
// path means the ref is the resolver's but names nothing (reported as "no such object").
using SourceResolver = std::function<std::optional<std::filesystem::path>(const std::string& source_ref)>;

// Which files a source-ref may name.
enum class SourceConfinement {
    // The resolver, then --map prefixes, file:// URIs, absolute paths and paths relative to the
    // manifest: anything the importing user can read. For the CLI, run by the machine's own user.
    LocalFiles,
    // Only what the resolver resolves; every other ref is refused without a look at the file
    // system, and issues name images by their source-ref, never by the file behind it. For
    // manifests from remote clients, who must neither read the server's files nor learn whether
    // one exists, how big it is or what it holds.
    ResolverOnly,
};

struct ImportOptions {
    Format format = Format::Auto;
    std::vector<PathMapping> maps;
    SourceResolver resolver;
    SourceConfinement confinement = SourceConfinement::LocalFiles;
    ValidationLimits limits;
    // Ground Truth: a line holding only a source-ref is an unlabelled entry (the reference
    // service's UpdateDatasetEntries takes them) instead of a missing-label rejection.
    bool unlabelled_lines = false;
};

struct ImportReport {
    TaskType task = TaskType::ObjectDetection;
    std::vector<Entry> entries;
    std::vector<Issue> issues;
    size_t records = 0;  // records seen in the input (manifest lines, xml files, ...)

    size_t rejected() const;  // issues that left an entry out
};

// Detects the format of `source` (a manifest file, a COCO json, or a folder).
Format detect_format(const std::filesystem::path& source);

// A Ground Truth manifest already in memory (a request body, an object in a bucket); `origin`
// names it in issues (e.g. "s3://bucket/train.manifest"). Relative image paths, where the
// confinement allows them, resolve against the working directory.
ImportReport import_manifest_text(std::string_view text, const std::string& origin, const ImportOptions& options);

// Reads and validates `source`. Throws Error only when the source as a whole is unusable
// (missing, unreadable, unknown format); per-record problems go into the report.
ImportReport import_dataset(const std::filesystem::path& source, const ImportOptions& options = {});

}  // namespace apiary::data
