#pragma once
// Finding image files in folder-based formats (YOLO, folder-per-label).
#include <filesystem>
#include <vector>

namespace apiary::data::detail {

// By extension only: the content is checked later, so a mislabelled file is reported, not skipped.
bool has_image_extension(const std::filesystem::path& p);

// Image files under `dir` (recursively), sorted so imports are deterministic; hidden entries skipped.
std::vector<std::filesystem::path> list_images(const std::filesystem::path& dir);

}  // namespace apiary::data::detail
