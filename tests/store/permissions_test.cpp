// The data directory holds access keys (apiary.db): it is created owner-only whatever the umask,
// and a database or directory that group or others can read is refused with the chmod that
// fixes it, by every command (each opens its DataDir first).
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "store/credentials.h"
#include "store/data_dir.h"
#include "store/object_store.h"
#include "support/test_support.h"

namespace apiary::store {
namespace {
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

// The message DataDir's refusal gives, or "" if it opens.
std::string refusal(const fs::path& root) {
    try {
        DataDir{root};
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// Under umask 0, so that only Apiary's own modes decide.
class PermissiveUmask {
public:
    PermissiveUmask() : saved_(::umask(0)) {}
    ~PermissiveUmask() { ::umask(saved_); }

private:
    mode_t saved_;
};

TEST(Permissions, EverythingIsCreatedOwnerOnly) {
    test::TempDir tmp;
    const PermissiveUmask umask0;
    const DataDir dir{tmp / "data"};
    ObjectStore objects{dir};
    CredentialStore credentials{dir};
    credentials.create("k");
    objects.create_bucket("bkt");
    const auto blob = objects.put_object_bytes("bkt", "k", "secret bytes").blob;
    EXPECT_EQ(mode_of(dir.root()), 0700u);
    EXPECT_EQ(mode_of(dir.objects()), 0700u);
    for (const char* name : {"apiary.db", "apiary.db-wal", "apiary.db-shm"})
        EXPECT_EQ(mode_of(dir.root() / name), 0600u) << name;
    EXPECT_EQ(mode_of(blob), 0600u);
    EXPECT_EQ(mode_of(blob.parent_path()), 0700u);
}

TEST(Permissions, ADatabaseOthersCanReadIsRefusedWithTheFix) {
    test::TempDir tmp;
    const fs::path root = tmp / "data";
    { CredentialStore{DataDir{root}}.create("k"); }
    fs::permissions(root / "apiary.db", fs::perms(0644));
    const std::string why = refusal(root);
    EXPECT_NE(why.find((root / "apiary.db").string()), std::string::npos) << why;
    EXPECT_NE(why.find("chmod 600 " + (root / "apiary.db").string()), std::string::npos) << why;
    fs::permissions(root / "apiary.db", fs::perms(0600));
    EXPECT_EQ(refusal(root), "");
}

TEST(Permissions, AReadableWriteAheadLogIsRefusedToo) {
    test::TempDir tmp;
    const fs::path root = tmp / "data";
    CredentialStore open{DataDir{root}};  // keeps -wal and -shm in place
    open.create("k");
    fs::permissions(root / "apiary.db-wal", fs::perms(0640));
    const std::string why = refusal(root);
    EXPECT_NE(why.find("chmod 600 " + (root / "apiary.db-wal").string()), std::string::npos) << why;
}

TEST(Permissions, ADataDirectoryOthersCanListIsRefusedWithTheFix) {
    test::TempDir tmp;
    const fs::path root = tmp / "data";
    { DataDir{root}; }
    fs::permissions(root, fs::perms(0755));
    const std::string why = refusal(root);
    EXPECT_NE(why.find("chmod 700 " + root.string()), std::string::npos) << why;
}

}  // namespace
}  // namespace apiary::store
