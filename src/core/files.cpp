#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace apiary {
namespace fs = std::filesystem;
namespace {

fs::path temp_sibling(const fs::path& path) {
    static std::atomic<unsigned> counter{0};
    std::string name = ".";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "." + string&&
    name += path.filename().string();
    name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    return path.parent_path() / name;
}

void fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Location{path.string()}, std::string("cannot open file: ") + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file_atomic(const fs::path& path, std::string_view content) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    const fs::path tmp = temp_sibling(path);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(Location{tmp.string()}, std::string("cannot create file: ") + std::strerror(errno));
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            fs::remove(tmp);
            throw Error(Location{tmp.string()}, "write failed (disk full?)");
        }
    }
    fsync_path(tmp);
    fs::rename(tmp, path);
}

void copy_file_atomic(const fs::path& from, const fs::path& to, bool durable) {
    if (to.has_parent_path()) fs::create_directories(to.parent_path());
    const fs::path tmp = temp_sibling(to);
    std::error_code ec;
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) {
        fs::remove(tmp);
        throw Error(Location{from.string()}, "cannot copy to " + to.string() + ": " + ec.message());
    }
    if (durable) fsync_path(tmp);
    fs::rename(tmp, to);
}

void sync_filesystem(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) return;
    ::syncfs(fd);
    ::close(fd);
}

}  // namespace apiary
