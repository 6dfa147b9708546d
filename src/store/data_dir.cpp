#include "store/data_dir.h"

#include <cstdlib>

#include "core/error.h"

namespace apiary::store {
namespace fs = std::filesystem;

DataDir DataDir::resolve(const std::string& flag) {
    if (!flag.empty()) return DataDir(flag);
    if (const char* env = std::getenv("APIARY_DATA_DIR"); env && *env) return DataDir(env);
    return DataDir("apiary-data");
}

DataDir::DataDir(fs::path root) : root_(fs::absolute(std::move(root))) {
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec || !fs::is_directory(root_))
        throw Error(Location{root_.string()}, "cannot create data directory: " + ec.message());
}

}  // namespace apiary::store
