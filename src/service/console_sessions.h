#pragma once
// Console sign-in: an access key pair buys a session (an unguessable cookie token and a CSRF
// token), kept on the server so that signing out or removing the key revokes it at once. Wrong
// keys are counted per client address and refused for a while once there are too many.
// Thread-safe. Sessions live in memory: a restart signs everyone out.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace apiary::service {

struct ConsoleSession {
    std::string token;          // the cookie's value
    std::string csrf_token;     // required on every state-changing request
    std::string access_key_id;  // who signed in
    int64_t expires_ms = 0;
};

struct SignInLimits {
    int64_t session_ttl_ms = 12 * 3600 * 1000;
    int max_failures = 5;             // per address within the window; more are refused
    int64_t failure_window_ms = 60 * 1000;
    size_t max_sessions = 10'000;     // the oldest go first beyond this
};

class ConsoleSessions {
public:
    explicit ConsoleSessions(SignInLimits limits = {});

    // Milliseconds until `address` may try again; 0 when it may now.
    int64_t retry_after_ms(const std::string& address, int64_t now);
    void record_failure(const std::string& address, int64_t now);
    ConsoleSession create(const std::string& access_key_id, int64_t now);
    // The live session holding `token`, if any (expired ones are dropped).
    std::optional<ConsoleSession> find(const std::string& token, int64_t now);
    void revoke(const std::string& token);
    // Every session of a key, e.g. when the key is deleted.
    void revoke_key(const std::string& access_key_id);

private:
    struct Failures {
        int64_t window_start = 0;
        int count = 0;
    };
    SignInLimits limits_;
    std::mutex mutex_;
    std::map<std::string, ConsoleSession> sessions_;  // by token
    std::map<std::string, Failures> failures_;        // by client address
};

}  // namespace apiary::service
