#pragma once
// The on-disk layout of one Apiary installation:
//   <root>/apiary.db            metadata (SQLite, WAL)
//   <root>/images/ab/<sha256>.jpg  dataset images, content addressed
//   <root>/objects/blobs/ab/<id>  S3 object bytes (names random, never from keys; see object_store.h)
//   <root>/models/<project>/<version>/  model artifacts
//   <root>/reports/             import reports (JSON Lines)
#include <filesystem>
#include <string>

namespace apiary::store {

class DataDir {
public:
    // `--data-dir` if given, else $APIARY_DATA_DIR, else ./apiary-data.
    static DataDir resolve(const std::string& flag = "");

    explicit DataDir(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    std::filesystem::path database() const { return root_ / "apiary.db"; }
    std::filesystem::path images() const { return root_ / "images"; }
    std::filesystem::path objects() const { return root_ / "objects"; }
    std::filesystem::path models() const { return root_ / "models"; }
    std::filesystem::path reports() const { return root_ / "reports"; }

private:
    std::filesystem::path root_;
};

}  // namespace apiary::store
