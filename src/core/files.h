#pragma once
// File helpers whose writes are atomic: readers see the old content or the new, never a torn file.
#include <filesystem>
#include <string>
#include <string_view>

namespace apiary {

std::string read_file(const std::filesystem::path& path);  // throws Error naming the path

// Writes to a temporary sibling, fsyncs it, then renames over `path`.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// Copies `from` to `to` the same way (temporary sibling + rename); parent folders are created.
void copy_file_atomic(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace apiary
