#include "store/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "core/files.h"

namespace apiary::store {
namespace fs = std::filesystem;
namespace {

// The database holds the access keys' secrets: a data directory, database or log that group or
// others may open is refused, as the encryption key file is, naming the chmod that fixes it.
void require_owner_only(const fs::path& path, bool directory) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return;  // created later, owner-only
        throw IoError(Location{path.string()}, std::string("cannot stat: ") + std::strerror(errno));
    }
    if ((st.st_mode & 077) == 0) return;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error(Location{path.string()},
                std::string(directory ? "data directory" : "database file") + " is open to group or others (mode " +
                    mode + ") and holds access keys; run: chmod " + (directory ? "700 " : "600 ") + path.string());
}

}  // namespace

DataDir DataDir::resolve(const std::string& flag) {
    if (!flag.empty()) return DataDir(flag);
    if (const char* env = std::getenv("APIARY_DATA_DIR"); env && *env) return DataDir(env);
    return DataDir("apiary-data");
}

DataDir::DataDir(fs::path root) : root_(fs::absolute(std::move(root))) {
    create_directories_durably(root_, 0700);
    if (!fs::is_directory(root_)) throw Error(Location{root_.string()}, "the data directory is not a directory");
    require_owner_only(root_, true);
    for (const char* suffix : {"", "-wal", "-shm"}) require_owner_only(database().string() + suffix, false);
}

}  // namespace apiary::store
