#pragma once
// Shared helpers for the test suites: scratch folders, generated images, the shared datasets.
#include <filesystem>
#include <optional>
#include <string>

namespace apiary::test {

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

// Writes a real, decodable image (noise + a few shapes) of the given size; the format follows
// the extension (.jpg, .png, .bmp ...). `seed` varies the content, so distinct seeds give
// distinct files.
void write_test_image(const std::filesystem::path& path, int width, int height, int seed = 0);

// ../shared/datasets/<name> next to the source tree, if it exists.
std::optional<std::filesystem::path> shared_dataset(const std::string& name);

// Writes `text` to `path` (creating folders).
void write_text(const std::filesystem::path& path, const std::string& text);

// Runs a shell command, returns its exit status and captures stdout (+stderr if asked).
struct CommandResult {
    int status = -1;
    std::string output;
};
CommandResult run_command(const std::string& command, bool merge_stderr = true);

// The apiary CLI binary built alongside the tests.
std::string apiary_binary();

// How many entries a directory holds: /proc/self/task counts threads, /proc/self/fd descriptors.
size_t entries_in(const std::filesystem::path& dir);

}  // namespace apiary::test
