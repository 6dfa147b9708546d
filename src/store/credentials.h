#pragma once
// Access keys for the server's SigV4 authentication, stored in apiary.db (table access_keys).
// SigV4 is an HMAC keyed by the secret, so the server must keep the secret itself, not a hash:
// apiary.db is as sensitive as the keys it holds.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/data_dir.h"
#include "store/sqlite.h"

namespace apiary::store {

struct AccessKey {
    std::string id;      // "AKIA" + 16 of [A-Z2-7], like AWS access key ids
    std::string secret;  // 40 of [A-Za-z0-9+/]; empty when listed
    std::string description;
    int64_t created_ms = 0;
};

// Thread-safe.
class CredentialStore {
public:
    // Opens its own connection to dir.database() and brings the schema up to date.
    explicit CredentialStore(const DataDir& dir);

    // A new key pair from OpenSSL's CSPRNG. The only time the secret is handed out.
    AccessKey create(const std::string& description = "");
    std::vector<AccessKey> list();  // oldest first; secrets left empty
    std::optional<std::string> secret_for(const std::string& id);
    bool remove(const std::string& id);  // whether the key existed
    bool empty();                        // no keys at all

private:
    Database db_;
    std::mutex mutex_;  // one connection shared by the server's threads
};

}  // namespace apiary::store
