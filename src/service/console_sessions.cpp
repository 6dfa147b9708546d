#include "service/console_sessions.h"

#include <algorithm>

#include "core/hash.h"

namespace apiary::service {

ConsoleSessions::ConsoleSessions(SignInLimits limits) : limits_(limits) {}

int64_t ConsoleSessions::retry_after_ms(const std::string& address, int64_t now) {
    std::lock_guard lock(mutex_);
    const auto it = failures_.find(address);
    if (it == failures_.end()) return 0;
    const int64_t window_end = it->second.window_start + limits_.failure_window_ms;
    if (now >= window_end) {
        failures_.erase(it);
        return 0;
    }
    return it->second.count >= limits_.max_failures ? window_end - now : 0;
}

void ConsoleSessions::record_failure(const std::string& address, int64_t now) {
    std::lock_guard lock(mutex_);
    // Bounded: a flood of addresses cannot grow the table without limit.
    if (failures_.size() > 100'000) failures_.clear();
    auto& f = failures_[address];
    if (f.count == 0 || now >= f.window_start + limits_.failure_window_ms) f = {now, 0};
    ++f.count;
}

ConsoleSession ConsoleSessions::create(const std::string& access_key_id, int64_t now) {
    ConsoleSession s{random_hex(32), random_hex(32), access_key_id, now + limits_.session_ttl_ms};
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = it->second.expires_ms <= now ? sessions_.erase(it) : std::next(it);
    if (sessions_.size() >= limits_.max_sessions) {
        const auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
            return a.second.expires_ms < b.second.expires_ms;
        });
        sessions_.erase(oldest);
    }
    sessions_[s.token] = s;
    return s;
}

std::optional<ConsoleSession> ConsoleSessions::find(const std::string& token, int64_t now) {
    if (token.size() != 64) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(token);
    if (it == sessions_.end()) return std::nullopt;
    if (it->second.expires_ms <= now) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

void ConsoleSessions::revoke(const std::string& token) {
    std::lock_guard lock(mutex_);
    sessions_.erase(token);
}

void ConsoleSessions::revoke_key(const std::string& access_key_id) {
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = it->second.access_key_id == access_key_id ? sessions_.erase(it) : std::next(it);
}

}  // namespace apiary::service
