#pragma once
// Encryption at rest (AES-256-GCM, OpenSSL) for queued pipeline messages and pipeline result
// objects, under one key read from a file the operator manages (`apiary serve
// --encryption-key-file`). A sealed value is self-describing:
//   "AGCM" | version 0x01 | 12-byte random nonce | ciphertext | 16-byte tag
// The associated data binds a value to where it is stored (a pipeline name, bucket + key), so a
// sealed value copied to another row or object fails to open instead of being read as that one.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace apiary {

class EncryptionKey {
public:
    static constexpr size_t kKeyBytes = 32;

    // A file of exactly 32 raw bytes, or 64 hex digits with an optional trailing newline. Refuses
    // a file that group or others may read (mode & 077): a leaked key decrypts everything.
    static EncryptionKey load(const std::filesystem::path& file);
    static EncryptionKey generate();  // from OpenSSL's CSPRNG

    EncryptionKey(const EncryptionKey&) = default;
    EncryptionKey& operator=(const EncryptionKey&) = default;
    ~EncryptionKey();

    std::string hex() const;  // 64 lowercase hex digits; what load() accepts

    // A fresh random nonce per call, so sealing the same plaintext twice gives different bytes.
    std::string seal(std::string_view plaintext, std::string_view associated_data) const;
    // Throws apiary::Error when `sealed` is not in the format above, was altered, or was sealed
    // with another key or other associated data (GCM cannot tell these apart).
    std::string open(std::string_view sealed, std::string_view associated_data) const;

private:
    explicit EncryptionKey(const std::array<unsigned char, kKeyBytes>& key) : key_(key) {}
    std::array<unsigned char, kKeyBytes> key_;
};

}  // namespace apiary
