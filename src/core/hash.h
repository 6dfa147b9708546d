#pragma once
// Content digests (OpenSSL): sha256 identifies stored images, md5 is S3's ETag.
#include <filesystem>
#include <string>
#include <string_view>

namespace apiary {

std::string sha256_hex(std::string_view data);
std::string sha256_file_hex(const std::filesystem::path& path);  // throws Error if unreadable
std::string md5_hex(std::string_view data);

}  // namespace apiary
