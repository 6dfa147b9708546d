// The startup sweep of unreferenced blobs must never destroy bytes a row might name: a blob
// another process is about to commit is too young to judge, and a blob no row names (a crash
// leftover, or a database restored from an older backup) is set aside, not deleted, for a week.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/files.h"
#include "store/object_store.h"
#include "support/test_support.h"

namespace apiary::store {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

size_t files_under(const fs::path& dir) {
    size_t n = 0;
    if (fs::exists(dir))
        for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
    return n;
}

void backdate(const fs::path& file, std::chrono::hours by) {
    fs::last_write_time(file, fs::file_time_type::clock::now() - by);
}

struct Fixture {
    test::TempDir tmp;
    DataDir dir{tmp / "data"};
    ObjectStore s{dir};
    fs::path stray_blob() const { return dir.objects() / "blobs" / "ab" / "ab000000000000000000000000000000"; }
    fs::path orphaned() const { return dir.objects() / "orphaned"; }
};

TEST(OrphanSweep, AFreshUnreferencedBlobIsLeftAlone) {
    // Another process (a CLI command, a second server) renamed it into place and is about to
    // commit the row naming it.
    Fixture f;
    write_file_atomic(f.stray_blob(), "about to be committed");
    const auto staged = f.s.new_staging_path();
    std::ofstream(staged) << "an upload still arriving";
    EXPECT_EQ(f.s.remove_orphan_blobs(), 0u);
    EXPECT_TRUE(fs::exists(f.stray_blob()));
    EXPECT_TRUE(fs::exists(staged));
}

TEST(OrphanSweep, OldUnreferencedBlobsAreSetAsideNotDeleted) {
    Fixture f;
    f.s.create_bucket("bkt");
    const auto kept = f.s.put_object_bytes("bkt", "k", "kept");
    backdate(kept.blob, 48h);
    write_file_atomic(f.stray_blob(), "no row names me");
    backdate(f.stray_blob(), 2h);
    const auto staged = f.s.new_staging_path();
    std::ofstream(staged) << "half an upload";
    backdate(staged, 2h);

    EXPECT_EQ(f.s.remove_orphan_blobs(), 2u);
    EXPECT_FALSE(fs::exists(f.stray_blob()));
    EXPECT_FALSE(fs::exists(staged)) << "a staging file was never acknowledged: deleted";
    EXPECT_EQ(read_file(f.orphaned() / f.stray_blob().filename()), "no row names me");
    EXPECT_EQ(read_file(f.s.head_object("bkt", "k").blob), "kept");
    EXPECT_EQ(f.s.remove_orphan_blobs(), 0u) << "set aside a week before deletion";
    EXPECT_EQ(files_under(f.orphaned()), 1u);
}

TEST(OrphanSweep, SetAsideBlobsAreDeletedAfterAWeek) {
    Fixture f;
    fs::create_directories(f.orphaned());
    write_file_atomic(f.orphaned() / "ab000000000000000000000000000000", "old orphan");
    backdate(f.orphaned() / "ab000000000000000000000000000000", 8 * 24h);
    write_file_atomic(f.orphaned() / "cd000000000000000000000000000000", "recent orphan");
    f.s.remove_orphan_blobs();
    EXPECT_FALSE(fs::exists(f.orphaned() / "ab000000000000000000000000000000"));
    EXPECT_TRUE(fs::exists(f.orphaned() / "cd000000000000000000000000000000"));
}

TEST(OrphanSweep, ALostDatabaseLosesNoBytes) {
    // apiary.db replaced by an empty one (restored from the wrong backup): every blob is
    // unreferenced, and every one must still be recoverable.
    test::TempDir tmp;
    DataDir dir{tmp / "data"};
    {
        ObjectStore s{dir};
        s.create_bucket("bkt");
        for (int i = 0; i < 5; ++i) {
            std::string key = "k";  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on "k" + string&&
            key += std::to_string(i);
            backdate(s.put_object_bytes("bkt", key, "x").blob, 2h);
        }
    }
    for (const char* name : {"apiary.db", "apiary.db-wal", "apiary.db-shm"}) fs::remove(dir.root() / name);
    ObjectStore fresh{dir};
    EXPECT_EQ(fresh.remove_orphan_blobs(), 5u);
    EXPECT_EQ(files_under(dir.objects() / "orphaned"), 5u);
}

}  // namespace
}  // namespace apiary::store
