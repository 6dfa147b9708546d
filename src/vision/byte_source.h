#pragma once
// Random access to an image's bytes, so header parsers can seek past large segments
// (ICC profiles, Exif thumbnails) without reading the whole file.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace apiary::vision {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual int64_t size() const = 0;
    // Up to `n` bytes at `offset`; fewer (possibly none) near the end.
    virtual std::string read(int64_t offset, size_t n) const = 0;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
    int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
    std::string read(int64_t offset, size_t n) const override;

private:
    std::string_view bytes_;
};

class FileSource final : public ByteSource {
public:
    explicit FileSource(const std::filesystem::path& path);  // throws Error naming the path
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    int64_t size() const override { return size_; }
    std::string read(int64_t offset, size_t n) const override;

private:
    std::FILE* file_ = nullptr;
    int64_t size_ = 0;
};

}  // namespace apiary::vision
