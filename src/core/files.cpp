#include "core/files.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // renameat2
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/error.h"
#include "core/hash.h"

namespace apiary {
namespace fs = std::filesystem;
namespace {

constexpr size_t kCopyChunk = 1 << 20;
constexpr int kTempAttempts = 8;  // O_EXCL collisions of 128 random bits: only a planted name

[[noreturn]] void fail_errno(const fs::path& path, const std::string& what, int err) {
    throw IoError(Location{path.string()}, what + ": " + std::strerror(err));
}

// Removes a temporary on the way out unless released (renamed into place).
struct TempGuard {
    fs::path path;
    bool armed = true;
    ~TempGuard() {
        if (!armed) return;
        std::error_code ignored;
        fs::remove(path, ignored);
    }
};

}  // namespace

FileDescriptor::FileDescriptor(const fs::path& path, int flags, mode_t mode)
    : fd_(::open(path.c_str(), flags | O_CLOEXEC, mode)), path_(path) {
    if (fd_ < 0) fail_errno(path, "cannot open", errno);
}

FileDescriptor FileDescriptor::create_temp_sibling(const fs::path& target) {
    for (int attempt = 0;; ++attempt) {
        fs::path tmp = temp_sibling(target);
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) return FileDescriptor(fd, std::move(tmp));
        if (errno != EEXIST || attempt + 1 == kTempAttempts) fail_errno(tmp, "cannot create file", errno);
    }
}

FileDescriptor::FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
}

FileDescriptor::~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
}

void FileDescriptor::write_all(std::string_view bytes) {
    const char* data = bytes.data();
    size_t size = bytes.size();
    while (size > 0) {
        const ssize_t n = ::write(fd_, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno(path_, "write failed", errno);
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void FileDescriptor::close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail_errno(path_, "close failed", errno);
}

void FileDescriptor::sync() {
    if (::fsync(fd_) != 0) fail_errno(path_, "fsync failed", errno);
}

void sync_path(const fs::path& path) { FileDescriptor(path, O_RDONLY).sync(); }

void sync_parent(const fs::path& path) {
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    FileDescriptor(parent, O_RDONLY | O_DIRECTORY).sync();
}

void rename_durably(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        fail_errno(from, "cannot rename to " + to.string(), errno);
    sync_parent(to);
    if (from.parent_path() != to.parent_path()) sync_parent(from);
}

void replace_directory_durably(const fs::path& staged, const fs::path& target) {
    sync_path(staged);  // its entries
    std::error_code ec;
    if (!fs::exists(target, ec)) return rename_durably(staged, target);
    if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
        fail_errno(staged, "cannot exchange with " + target.string(), errno);
    sync_parent(target);
    fs::remove_all(staged, ec);  // now the old directory; a leftover is removed by the next save
}

bool create_directories_durably(const fs::path& dir, mode_t mode) {
    if (dir.empty()) return false;
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return false;
    create_directories_durably(dir.parent_path(), mode);
    if (::mkdir(dir.c_str(), mode) != 0) {
        if (errno == EEXIST && fs::is_directory(dir, ec)) return false;  // a concurrent creator won
        fail_errno(dir, "cannot create directory", errno);
    }
    sync_parent(dir);
    return true;
}

fs::path temp_sibling(const fs::path& path) {
    unsigned char random[16];
    if (RAND_bytes(random, sizeof random) != 1) throw InternalError("OpenSSL RAND_bytes failed");
    std::string name = ".";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string&&
    name += path.filename().string();
    name += ".tmp.";
    name += to_hex(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
    return path.parent_path() / name;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Location{path.string()}, std::string("cannot open file: ") + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw IoError(Location{path.string()}, "read error");
    return ss.str();
}

void write_file_atomic(const fs::path& path, std::string_view content) {
    if (path.has_parent_path()) create_directories_durably(path.parent_path());
    auto out = FileDescriptor::create_temp_sibling(path);
    TempGuard guard{out.path()};
    out.write_all(content);
    out.sync();
    out.close();
    rename_durably(out.path(), path);
    guard.armed = false;
}

void write_file_atomic_with(const fs::path& path, const std::function<void(const fs::path& temporary)>& write) {
    if (path.has_parent_path()) create_directories_durably(path.parent_path());
    const fs::path tmp = FileDescriptor::create_temp_sibling(path).path();  // reserved, then closed
    TempGuard guard{tmp};
    write(tmp);
    sync_path(tmp);
    rename_durably(tmp, path);
    guard.armed = false;
}

void copy_file_atomic(const fs::path& from, const fs::path& to, bool durable) {
    if (to.has_parent_path()) create_directories_durably(to.parent_path());
    const FileDescriptor in(from, O_RDONLY);
    auto out = FileDescriptor::create_temp_sibling(to);
    TempGuard guard{out.path()};
    std::vector<char> buffer(kCopyChunk);
    for (;;) {
        const ssize_t n = ::read(in.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_errno(from, "read failed", errno);
        if (n == 0) break;
        out.write_all(std::string_view(buffer.data(), static_cast<size_t>(n)));
    }
    if (durable) out.sync();
    out.close();
    if (durable) {
        rename_durably(out.path(), to);
    } else if (::rename(out.path().c_str(), to.c_str()) != 0) {
        fail_errno(out.path(), "cannot rename to " + to.string(), errno);
    }
    guard.armed = false;
}

void sync_filesystem(const fs::path& path) {
    const FileDescriptor fd(path, O_RDONLY);
    if (::syncfs(fd.get()) != 0) fail_errno(path, "syncfs failed", errno);
}

}  // namespace apiary
