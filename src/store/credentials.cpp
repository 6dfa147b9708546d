#include "store/credentials.h"

#include <openssl/rand.h>

#include <string_view>

#include "core/arn.h"
#include "core/error.h"
#include "store/migrations.h"

namespace apiary::store {
namespace {

// `length` characters drawn uniformly from `alphabet`, whose size must divide 256 so that
// reducing a random byte modulo it adds no bias.
std::string random_string(std::string_view alphabet, size_t length) {
    std::string bytes(length, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(length)) != 1)
        throw Error("OpenSSL RAND_bytes failed");
    for (auto& c : bytes) c = alphabet[static_cast<unsigned char>(c) % alphabet.size()];
    return bytes;
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

CredentialStore::CredentialStore(const DataDir& dir) : db_(dir.database()) { migrate(db_); }

AccessKey CredentialStore::create(const std::string& description) {
    AccessKey key{"AKIA" + random_string(kBase32, 16), random_string(kBase64, 40), description, now_ms()};
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT INTO access_keys (id, secret, description, created_ms) VALUES (?, ?, ?, ?)")
        .bind(1, key.id)
        .bind(2, key.secret)
        .bind(3, key.description)
        .bind(4, key.created_ms)
        .run();
    return key;
}

std::vector<AccessKey> CredentialStore::list() {
    std::lock_guard lock(mutex_);
    std::vector<AccessKey> out;
    for (auto st = db_.prepare("SELECT id, description, created_ms FROM access_keys ORDER BY created_ms, id");
         st.step();)
        out.push_back({st.column_text(0), "", st.column_text(1), st.column_int(2)});
    return out;
}

std::optional<std::string> CredentialStore::secret_for(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto st = db_.prepare("SELECT secret FROM access_keys WHERE id = ?");
    if (!st.bind(1, id).step()) return std::nullopt;
    return st.column_text(0);
}

bool CredentialStore::remove(const std::string& id) {
    std::lock_guard lock(mutex_);
    db_.prepare("DELETE FROM access_keys WHERE id = ?").bind(1, id).run();
    return db_.changes() > 0;
}

bool CredentialStore::empty() {
    std::lock_guard lock(mutex_);
    return !db_.prepare("SELECT 1 FROM access_keys LIMIT 1").step();
}

}  // namespace apiary::store
