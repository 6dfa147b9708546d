#pragma once
// Content digests (OpenSSL): sha256 identifies stored images, md5 is S3's ETag.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace apiary {

std::string sha256_hex(std::string_view data);
std::string sha256_file_hex(const std::filesystem::path& path);  // throws Error if unreadable
std::string md5_hex(std::string_view data);
// Lower-case hex of raw bytes, as the digests above are written.
std::string to_hex(std::string_view bytes);
// The bytes of an even-length hex string, either case; nullopt for anything else.
std::optional<std::string> from_hex(std::string_view hex);

// The same digests fed piece by piece, for bodies streamed to disk as they arrive.
class StreamingDigest {
public:
    static StreamingDigest sha256();
    static StreamingDigest md5();
    ~StreamingDigest();
    StreamingDigest(StreamingDigest&&) noexcept;
    StreamingDigest& operator=(StreamingDigest&&) noexcept;

    void update(std::string_view data);
    std::string hex();  // finishes the digest: call once

private:
    struct Impl;
    explicit StreamingDigest(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace apiary

namespace apiary {

// `bytes` bytes from OpenSSL's CSPRNG, as lower-case hex (session tokens, CSRF tokens).
std::string random_hex(size_t bytes);
// Equality whose time does not depend on where the strings differ (secrets, tokens).
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace apiary
