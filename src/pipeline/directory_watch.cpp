#include "pipeline/directory_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "core/files.h"
#include "core/text.h"

namespace apiary::pipeline {
namespace fs = std::filesystem;

namespace {

fs::path result_path(const fs::path& image) {
    fs::path r = image;
    r += ".json";
    return r;
}

void answer(const fs::path& image, const WatchCallbacks& cb) {
    try {
        const fs::path result = result_path(image);
        write_file_atomic(result, cb.detect(image));
        if (cb.on_result) cb.on_result(image, result);
    } catch (const std::exception& e) {
        if (cb.on_error) cb.on_error(image, e.what());
    }
}

class Inotify {
public:
    explicit Inotify(const fs::path& dir) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        if (fd_ < 0) throw Error(Location{dir.string()}, std::string("cannot watch: ") + std::strerror(errno));
        if (inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
            const int err = errno;
            ::close(fd_);
            throw Error(Location{dir.string()}, std::string("cannot watch: ") + std::strerror(err));
        }
    }
    ~Inotify() { ::close(fd_); }
    Inotify(const Inotify&) = delete;
    Inotify& operator=(const Inotify&) = delete;

    // Names of files closed after writing or moved in, waiting up to `timeout_ms`.
    std::vector<std::string> wait(int timeout_ms) {
        std::vector<std::string> names;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return names;
        alignas(inotify_event) char buffer[16 * 1024];
        for (;;) {
            const ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0) break;
            for (ssize_t at = 0; at < n;) {
                const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
                if (e->len > 0 && !(e->mask & IN_ISDIR)) names.emplace_back(e->name);
                at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            }
        }
        return names;
    }

private:
    int fd_;
};

}  // namespace

bool is_watched_image(const fs::path& path, const WatchOptions& options) {
    const std::string name = ascii_lowercase(path.filename().string());
    if (name.empty() || name.front() == '.' || name.ends_with(".json")) return false;
    return std::any_of(options.suffixes.begin(), options.suffixes.end(),
                       [&](const std::string& s) { return name.ends_with(ascii_lowercase(s)); });
}

void watch_directory(const fs::path& dir, const WatchCallbacks& callbacks, const std::atomic<bool>& stop,
                     const WatchOptions& options) {
    if (!fs::is_directory(dir)) throw Error(Location{dir.string()}, "not a directory");
    // Watch first, then catch up: a file arriving in between is seen by both, and answering it
    // twice only rewrites the same result.
    Inotify inotify(dir);
    if (options.process_existing) {
        std::vector<fs::path> pending;
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file() && is_watched_image(entry.path(), options) && !fs::exists(result_path(entry.path())))
                pending.push_back(entry.path());
        std::sort(pending.begin(), pending.end());
        for (const auto& image : pending) {
            if (stop) return;
            answer(image, callbacks);
        }
    }
    while (!stop) {
        for (const auto& name : inotify.wait(200)) {
            const fs::path image = dir / name;
            if (is_watched_image(image, options) && fs::is_regular_file(image)) answer(image, callbacks);
        }
    }
}

}  // namespace apiary::pipeline
