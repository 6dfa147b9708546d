// The durable-write toolkit: unpredictable temporaries that never follow a planted symlink,
// 0600 files, and every failure typed as IoError naming the path.
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/files.h"
#include "support/test_support.h"

namespace apiary {
namespace {
namespace fs = std::filesystem;

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

size_t entries(const fs::path& dir) {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
    return n;
}

TEST(DurableFiles, APlantedSymlinkAtATemporaryNameIsNeverWrittenThrough) {
    test::TempDir dir;
    const fs::path victim = dir / "victim";
    test::write_text(victim, "precious");
    // The names the temporary used to take: ".<name>.tmp.<pid>.<counter>".
    for (int n = 0; n < 200; ++n)
        fs::create_symlink(victim, dir / (".out.txt.tmp." + std::to_string(::getpid()) + "." + std::to_string(n)));
    write_file_atomic(dir / "out.txt", "new content");
    EXPECT_EQ(read_file(victim), "precious");
    EXPECT_EQ(read_file(dir / "out.txt"), "new content");
    EXPECT_FALSE(fs::is_symlink(dir / "out.txt"));
}

TEST(DurableFiles, TemporaryNamesAreFreshAndUnpredictable) {
    const fs::path a = temp_sibling("/d/x.json"), b = temp_sibling("/d/x.json");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.parent_path(), "/d");
    EXPECT_TRUE(a.filename().string().starts_with(".x.json.tmp."));
    EXPECT_EQ(a.filename().string().size(), std::string(".x.json.tmp.").size() + 32) << "128 random bits";
}

TEST(DurableFiles, ASymlinkAtTheTargetIsReplacedNotFollowed) {
    test::TempDir dir;
    test::write_text(dir / "victim", "precious");
    fs::create_symlink(dir / "victim", dir / "out.txt");
    write_file_atomic(dir / "out.txt", "new");
    EXPECT_EQ(read_file(dir / "victim"), "precious");
    EXPECT_EQ(read_file(dir / "out.txt"), "new");
}

TEST(DurableFiles, FilesAreCreatedOwnerOnlyAndLeaveNoTemporaries) {
    test::TempDir dir;
    const mode_t old = ::umask(0);  // even under a permissive umask
    write_file_atomic(dir / "sub" / "a.txt", "a");
    copy_file_atomic(dir / "sub" / "a.txt", dir / "copy" / "b.txt");
    copy_file_atomic(dir / "sub" / "a.txt", dir / "copy" / "c.txt", /*durable=*/false);
    ::umask(old);
    EXPECT_EQ(mode_of(dir / "sub" / "a.txt"), 0600u);
    EXPECT_EQ(mode_of(dir / "copy" / "b.txt"), 0600u);
    EXPECT_EQ(mode_of(dir / "sub"), 0700u);
    EXPECT_EQ(read_file(dir / "copy" / "b.txt"), "a");
    EXPECT_EQ(read_file(dir / "copy" / "c.txt"), "a");
    EXPECT_EQ(entries(dir / "sub"), 1u);
    EXPECT_EQ(entries(dir / "copy"), 2u);
}

// What the server must report as its own failure (500), not the client's.
template <class F>
std::string io_error_of(F&& f) {
    try {
        f();
    } catch (const IoError& e) {
        EXPECT_EQ(error_kind(e), ErrorKind::io);
        return e.what();
    } catch (const std::exception& e) {
        return std::string("not an IoError: ") + e.what();
    }
    return "no error";
}

TEST(DurableFiles, AFullDiskIsAnIoErrorNamingTheFile) {
    const std::string what = io_error_of([] { FileDescriptor("/dev/full", O_WRONLY).write_all("x"); });
    EXPECT_NE(what.find("/dev/full"), std::string::npos) << what;
    EXPECT_NE(what.find("No space left on device"), std::string::npos) << what;
}

TEST(DurableFiles, EveryFailureIsAnIoErrorNamingThePath) {
    test::TempDir dir;
    test::write_text(dir / "file", "x");
    // A parent that is a regular file: the directories cannot be made.
    EXPECT_NE(io_error_of([&] { write_file_atomic(dir / "file" / "sub" / "a", "a"); }).find((dir / "file").string()),
              std::string::npos);
    EXPECT_NE(io_error_of([&] { copy_file_atomic(dir / "missing", dir / "b"); }).find("missing"), std::string::npos);
    EXPECT_NE(io_error_of([&] { sync_path(dir / "missing"); }).find("missing"), std::string::npos);
    EXPECT_NE(io_error_of([&] { rename_durably(dir / "missing", dir / "b"); }).find("missing"), std::string::npos);
    EXPECT_NE(io_error_of([&] { sync_filesystem(dir / "missing"); }).find("missing"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "b"));
}

TEST(DurableFiles, RenameDurablyMovesAcrossDirectories) {
    test::TempDir dir;
    test::write_text(dir / "a" / "x", "x");
    EXPECT_TRUE(create_directories_durably(dir / "b" / "c"));
    EXPECT_FALSE(create_directories_durably(dir / "b" / "c"));
    rename_durably(dir / "a" / "x", dir / "b" / "c" / "y");
    EXPECT_EQ(read_file(dir / "b" / "c" / "y"), "x");
    EXPECT_FALSE(fs::exists(dir / "a" / "x"));
}

TEST(ErrorKind, EachClassHasItsKind) {
    EXPECT_EQ(error_kind(Error("bad input")), ErrorKind::input);
    EXPECT_EQ(error_kind(NotFound("no such project")), ErrorKind::not_found);
    EXPECT_EQ(error_kind(Conflict("taken")), ErrorKind::conflict);
    EXPECT_EQ(error_kind(IoError("disk full")), ErrorKind::io);
    EXPECT_EQ(error_kind(InternalError("bug")), ErrorKind::internal);
    EXPECT_EQ(error_kind(std::runtime_error("foreign")), ErrorKind::internal);
}

}  // namespace
}  // namespace apiary

namespace apiary {
namespace {

TEST(DurableFiles, AWriterByNameFillsTheReservedTemporary) {
    test::TempDir dir;
    fs::path used;
    write_file_atomic_with(dir / "w.bin", [&](const fs::path& tmp) {
        used = tmp;
        EXPECT_TRUE(fs::exists(tmp)) << "reserved before the writer runs";
        test::write_text(tmp, "by name");
    });
    EXPECT_EQ(read_file(dir / "w.bin"), "by name");
    EXPECT_FALSE(fs::exists(used));
    EXPECT_THROW(write_file_atomic_with(dir / "x.bin", [](const fs::path&) { throw IoError("torch failed"); }),
                 IoError);
    EXPECT_FALSE(fs::exists(dir / "x.bin"));
    EXPECT_EQ(entries(dir.path()), 1u) << "the failed writer's temporary is gone";
}

}  // namespace
}  // namespace apiary
