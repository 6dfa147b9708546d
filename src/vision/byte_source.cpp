#include "vision/byte_source.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace apiary::vision {

std::string MemorySource::read(int64_t offset, size_t n) const {
    if (offset < 0 || offset >= size()) return {};
    return std::string(bytes_.substr(static_cast<size_t>(offset), n));
}

FileSource::FileSource(const std::filesystem::path& path) {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw Error(Location{path.string()}, std::string("cannot open file: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(::fileno(file_), &st) != 0 || !S_ISREG(st.st_mode)) {
        std::fclose(file_);
        throw Error(Location{path.string()}, "not a regular file");
    }
    size_ = static_cast<int64_t>(st.st_size);
}

FileSource::~FileSource() {
    if (file_) std::fclose(file_);
}

std::string FileSource::read(int64_t offset, size_t n) const {
    if (offset < 0 || offset >= size_) return {};
    std::string out(n, '\0');
    if (::fseeko(file_, offset, SEEK_SET) != 0) return {};
    out.resize(std::fread(out.data(), 1, n, file_));
    return out;
}

}  // namespace apiary::vision
