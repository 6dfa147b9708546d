#pragma once
// Content-addressed storage for dataset images: the same picture imported twice (or into two
// projects) is stored once, and a stored file never changes under a key.
#include <filesystem>
#include <string>

namespace apiary::store {

class ImageStore {
public:
    explicit ImageStore(std::filesystem::path root) : root_(std::move(root)) {}

    // Copies `source` in (atomically, unless already present; durable after flush()) and returns its key, e.g.
    // "ab/ab12...ef.jpg". `sha256` must be the file's digest; `extension` like "jpg".
    std::string put(const std::filesystem::path& source, const std::string& sha256, const std::string& extension);

    std::filesystem::path path(const std::string& key) const { return root_ / key; }

    // Makes every put() so far durable; call before committing rows that refer to them.
    void flush() const;

private:
    std::filesystem::path root_;
};

}  // namespace apiary::store
