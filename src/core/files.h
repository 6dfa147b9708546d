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
// With durable = false the data is not fsynced: callers copying many files sync once at the end
// (sync_filesystem) instead of once per file.
void copy_file_atomic(const std::filesystem::path& from, const std::filesystem::path& to, bool durable = true);

// Flushes everything written to the filesystem holding `path` (syncfs).
void sync_filesystem(const std::filesystem::path& path);

}  // namespace apiary
