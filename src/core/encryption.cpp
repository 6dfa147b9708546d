#include "core/encryption.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"

namespace apiary {
namespace {

constexpr std::string_view kMagic = "AGCM\x01";
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// OpenSSL takes int lengths; a value over 2 GiB is not something this code seals.
int checked_length(size_t n) {
    if (n > static_cast<size_t>(INT32_MAX)) throw Error("value too large to encrypt (" + std::to_string(n) + " bytes)");
    return static_cast<int>(n);
}

CipherContext new_context() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) throw Error("OpenSSL cipher context allocation failed");
    return ctx;
}

std::string read_key_file(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        throw Error(Location{file.string()}, std::string("cannot read encryption key file: ") + std::strerror(errno));
    if ((st.st_mode & 077) != 0)
        throw Error(Location{file.string()},
                    "encryption key file is readable or writable by group or others; run: chmod 600 " + file.string());
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(Location{file.string()}, "cannot open encryption key file");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

EncryptionKey EncryptionKey::load(const std::filesystem::path& file) {
    std::string text = read_key_file(file);
    std::array<unsigned char, kKeyBytes> key{};
    if (text.size() == kKeyBytes) {  // raw bytes, e.g. head -c 32 /dev/urandom
        std::memcpy(key.data(), text.data(), kKeyBytes);
        OPENSSL_cleanse(text.data(), text.size());
        return EncryptionKey(key);
    }
    if (text.ends_with('\n')) text.pop_back();
    if (text.ends_with('\r')) text.pop_back();
    if (text.size() != 2 * kKeyBytes) {
        const size_t size = text.size();
        OPENSSL_cleanse(text.data(), text.size());
        throw Error(Location{file.string()}, "encryption key file must hold 32 raw bytes or 64 hex digits; found " +
                                                 std::to_string(size) + " bytes");
    }
    for (size_t i = 0; i < kKeyBytes; ++i) {
        // hex_value, not from_hex: the key is decoded in place, with no copy left to cleanse.
        const int hi = hex_value(text[2 * i]);
        const int lo = hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            OPENSSL_cleanse(text.data(), text.size());
            OPENSSL_cleanse(key.data(), key.size());
            throw Error(Location{file.string()}, "encryption key file has 64 characters but they are not all hex digits");
        }
        key[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    OPENSSL_cleanse(text.data(), text.size());
    return EncryptionKey(key);
}

EncryptionKey EncryptionKey::generate() {
    std::array<unsigned char, kKeyBytes> key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw Error("OpenSSL RAND_bytes failed");
    return EncryptionKey(key);
}

EncryptionKey::~EncryptionKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string EncryptionKey::hex() const {
    return to_hex(std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()));
}

std::string EncryptionKey::seal(std::string_view plaintext, std::string_view associated_data) const {
    std::string out(kMagic);
    out.resize(kMagic.size() + kNonceBytes + plaintext.size() + kTagBytes);
    unsigned char* nonce = bytes_of(out) + kMagic.size();
    unsigned char* cipher = nonce + kNonceBytes;
    if (RAND_bytes(nonce, static_cast<int>(kNonceBytes)) != 1) throw Error("OpenSSL RAND_bytes failed");

    const auto ctx = new_context();
    int n = 0;
    // 12-byte nonces are GCM's default IV length, so no EVP_CTRL_GCM_SET_IVLEN is needed.
    bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &n, bytes_of(associated_data),
                                checked_length(associated_data.size())) == 1 &&
              EVP_EncryptUpdate(ctx.get(), cipher, &n, bytes_of(plaintext), checked_length(plaintext.size())) == 1 &&
              EVP_EncryptFinal_ex(ctx.get(), cipher + n, &n) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                                  cipher + plaintext.size()) == 1;
    if (!ok) throw Error("AES-256-GCM encryption failed");
    return out;
}

std::string EncryptionKey::open(std::string_view sealed, std::string_view associated_data) const {
    if (sealed.size() < kMagic.size() + kNonceBytes + kTagBytes || !sealed.starts_with(kMagic))
        throw Error("encrypted value is truncated or not in apiary's AES-256-GCM format");
    const std::string_view nonce = sealed.substr(kMagic.size(), kNonceBytes);
    const std::string_view cipher =
        sealed.substr(kMagic.size() + kNonceBytes, sealed.size() - kMagic.size() - kNonceBytes - kTagBytes);
    std::string tag(sealed.substr(sealed.size() - kTagBytes));  // the ctrl call wants a mutable buffer
    std::string plain(cipher.size(), '\0');

    const auto ctx = new_context();
    int n = 0;
    const bool set_up =
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes_of(nonce)) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &n, bytes_of(associated_data), checked_length(associated_data.size())) ==
            1 &&
        EVP_DecryptUpdate(ctx.get(), bytes_of(plain), &n, bytes_of(cipher), checked_length(cipher.size())) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag.data()) == 1;
    if (!set_up) throw Error("AES-256-GCM decryption failed");
    // Final verifies the tag; the plaintext computed so far is discarded unless it matches.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes_of(plain) + n, &n) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        throw Error("decryption authentication failed: the value was altered or not sealed with this key");
    }
    return plain;
}

}  // namespace apiary
