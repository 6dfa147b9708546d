#pragma once
// Directory-watch mode for machines without the S3 endpoint (edge devices that upload only
// results): every image that appears in a folder is run through a detector and answered with
// `<file>.json` next to it. Images already there without a result are done first, so a
// restarted watch loses nothing.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace apiary::pipeline {

struct WatchOptions {
    std::vector<std::string> suffixes = {".jpg", ".jpeg", ".png"};  // case-insensitive
    bool process_existing = true;
};

struct WatchCallbacks {
    // The JSON text to write for an image; throws to report an error for that file.
    std::function<std::string(const std::filesystem::path& image)> detect;
    std::function<void(const std::filesystem::path& image, const std::filesystem::path& result)> on_result;
    std::function<void(const std::filesystem::path& image, const std::string& error)> on_error;
};

// Watches `dir` (not its subfolders) with inotify until `stop` is set; files count once they
// are closed after writing or moved in, never half-written. Results are written atomically
// (temporary file + rename). Throws apiary::Error if the folder cannot be watched.
void watch_directory(const std::filesystem::path& dir, const WatchCallbacks& callbacks, const std::atomic<bool>& stop,
                     const WatchOptions& options = {});

// Whether `path` is an image the watch answers: a matching suffix, not itself a result.
bool is_watched_image(const std::filesystem::path& path, const WatchOptions& options);

}  // namespace apiary::pipeline
