#include "core/hash.h"

#include "core/text.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <memory>
#include <vector>

#include "core/error.h"

namespace apiary {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

class Digest {
public:
    explicit Digest(const EVP_MD* md) : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) throw Error("OpenSSL digest init failed");
    }
    void update(const void* data, size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
    std::string hex() {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        EVP_DigestFinal_ex(ctx_.get(), out, &len);
        return to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
    }

private:
    DigestContext ctx_;
};

}  // namespace

std::string to_hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out(bytes.size() * 2, '0');
    for (size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out(hex.size() / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i) {
        const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out[i] = static_cast<char>(hi * 16 + lo);
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    Digest d(EVP_sha256());
    d.update(data.data(), data.size());
    return d.hex();
}

std::string md5_hex(std::string_view data) {
    Digest d(EVP_md5());
    d.update(data.data(), data.size());
    return d.hex();
}

std::string sha256_file_hex(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Location{path.string()}, "cannot open file");
    Digest d(EVP_sha256());
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        d.update(buf.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) throw Error(Location{path.string()}, "read error");
    return d.hex();
}

struct StreamingDigest::Impl {
    Digest digest;
};

StreamingDigest::StreamingDigest(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StreamingDigest::~StreamingDigest() = default;
StreamingDigest::StreamingDigest(StreamingDigest&&) noexcept = default;
StreamingDigest& StreamingDigest::operator=(StreamingDigest&&) noexcept = default;
StreamingDigest StreamingDigest::sha256() { return StreamingDigest(std::make_unique<Impl>(Impl{Digest(EVP_sha256())})); }
StreamingDigest StreamingDigest::md5() { return StreamingDigest(std::make_unique<Impl>(Impl{Digest(EVP_md5())})); }
void StreamingDigest::update(std::string_view data) { impl_->digest.update(data.data(), data.size()); }
std::string StreamingDigest::hex() { return impl_->digest.hex(); }

}  // namespace apiary

namespace apiary {

std::string random_hex(size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1)
        throw Error("OpenSSL RAND_bytes failed");
    return to_hex(raw);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace apiary
