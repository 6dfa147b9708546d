#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "support/test_support.h"

using namespace apiary;

TEST(Error, MessageNamesFileLineAndField) {
    Error e(Location{"output.manifest", 12, "annotations[0].left"}, "not a number");
    EXPECT_STREQ(e.what(), "output.manifest:12 (field annotations[0].left): not a number");
    EXPECT_EQ(e.reason(), "not a number");
    EXPECT_EQ(Error(Location{"a.xml"}, "bad").what(), std::string("a.xml: bad"));
    EXPECT_EQ(Error("plain").what(), std::string("plain"));
}

TEST(Hash, KnownDigests) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Files, AtomicWriteReplacesContentAndLeavesNoTemporaries) {
    test::TempDir dir;
    const auto path = dir / "sub" / "x.txt";
    write_file_atomic(path, "first");
    write_file_atomic(path, "second");
    EXPECT_EQ(read_file(path), "second");
    EXPECT_EQ(sha256_file_hex(path), sha256_hex("second"));
    size_t files = 0;
    for (auto& f : std::filesystem::directory_iterator(dir / "sub")) files += f.is_regular_file();
    EXPECT_EQ(files, 1u);
}

TEST(Files, ReadingAMissingFileNamesIt) {
    try {
        read_file("/nonexistent/apiary.txt");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/apiary.txt"), std::string::npos);
    }
}

namespace apiary {
namespace {

TEST(StreamingDigest, PiecesGiveTheOneShotDigest) {
    const std::string text = "The quick brown fox jumps over the lazy dog";
    auto sha = StreamingDigest::sha256();
    auto md5 = StreamingDigest::md5();
    for (size_t i = 0; i < text.size(); i += 7) {
        sha.update(std::string_view(text).substr(i, 7));
        md5.update(std::string_view(text).substr(i, 7));
    }
    EXPECT_EQ(sha.hex(), sha256_hex(text));
    EXPECT_EQ(md5.hex(), "9e107d9d372bb6826bd81d3542a419d6");
}

}  // namespace
}  // namespace apiary
