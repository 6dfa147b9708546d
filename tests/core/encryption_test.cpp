#include "core/encryption.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "support/test_support.h"

using namespace apiary;
namespace fs = std::filesystem;

namespace {

std::string unhex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// Writes a key file with owner-only permissions, as load() requires.
fs::path write_key_file(const test::TempDir& dir, const std::string& content, const std::string& name = "key") {
    const auto path = dir / name;
    test::write_text(path, content);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    return path;
}

std::string load_error(const fs::path& path) {
    try {
        EncryptionKey::load(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Encryption, RoundTripsEmptyAndLargeValues) {
    const auto key = EncryptionKey::generate();
    EXPECT_EQ(key.open(key.seal("", "ad"), "ad"), "");
    std::string large(1 << 20, '\0');
    for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 31 + 7);
    const std::string sealed = key.seal(large, "bucket");
    EXPECT_EQ(sealed.size(), large.size() + 5 + 12 + 16);
    EXPECT_EQ(sealed.substr(0, 4), "AGCM");
    EXPECT_EQ(key.open(sealed, "bucket"), large);
}

TEST(Encryption, AlteringAnyByteFailsToOpen) {
    const auto key = EncryptionKey::generate();
    const std::string sealed = key.seal("secret/key.jpg", "pipeline");
    for (size_t i = 0; i < sealed.size(); ++i) {
        std::string altered = sealed;
        altered[i] = static_cast<char>(altered[i] ^ 0x01);
        EXPECT_THROW(key.open(altered, "pipeline"), Error) << "byte " << i;
    }
    EXPECT_THROW(key.open(sealed.substr(0, sealed.size() - 1), "pipeline"), Error);
    EXPECT_THROW(key.open("AGCM", "pipeline"), Error);
}

TEST(Encryption, WrongKeyOrAssociatedDataFailsWithAClearMessage) {
    const auto key = EncryptionKey::generate();
    const std::string sealed = key.seal("payload", "a");
    try {
        EncryptionKey::generate().open(sealed, "a");
        FAIL() << "opened with another key";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("authentication failed"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not sealed with this key"), std::string::npos) << e.what();
    }
    EXPECT_THROW(key.open(sealed, "b"), Error);
}

TEST(Encryption, NoncesDiffer) {
    const auto key = EncryptionKey::generate();
    EXPECT_NE(key.seal("same", "ad"), key.seal("same", "ad"));
    EXPECT_NE(EncryptionKey::generate().hex(), key.hex());
}

// The GCM specification's test case 16 (AES-256, 60-byte plaintext, 20 bytes of associated
// data), laid out in the sealed format: decrypting it checks the cipher, not just a round trip.
TEST(Encryption, OpensTheGcmSpecKnownAnswer) {
    test::TempDir dir;
    const auto key =
        EncryptionKey::load(write_key_file(dir, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308\n"));
    const std::string sealed =
        "AGCM\x01" + unhex("cafebabefacedbaddecaf888") +
        unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
              "93ba7a0abcc9f662") +
        unhex("76fc6ece0f4e1768cddf8853bb2d551b");
    EXPECT_EQ(key.open(sealed, unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")),
              unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b1"
                    "6aedf5aa0de657ba637b39"));
}

TEST(EncryptionKeyFile, AcceptsRawBytesAndHex) {
    test::TempDir dir;
    const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    EXPECT_EQ(EncryptionKey::load(write_key_file(dir, unhex(hex), "raw")).hex(), hex);
    EXPECT_EQ(EncryptionKey::load(write_key_file(dir, hex, "hex")).hex(), hex);
    EXPECT_EQ(EncryptionKey::load(write_key_file(dir, hex + "\r\n", "crlf")).hex(), hex);
    const auto upper = EncryptionKey::load(write_key_file(dir, "ABCDEF" + hex.substr(6), "upper"));
    EXPECT_EQ(upper.hex(), "abcdef" + hex.substr(6));
}

TEST(EncryptionKeyFile, RefusalsNameTheFileAndTheReason) {
    test::TempDir dir;
    const std::string missing = load_error(dir / "absent");
    EXPECT_NE(missing.find("absent"), std::string::npos) << missing;
    EXPECT_NE(missing.find("No such file"), std::string::npos) << missing;

    const std::string short_key = load_error(write_key_file(dir, "abcd\n", "short"));
    EXPECT_NE(short_key.find("short"), std::string::npos) << short_key;
    EXPECT_NE(short_key.find("32 raw bytes or 64 hex digits"), std::string::npos) << short_key;

    const std::string not_hex = load_error(write_key_file(dir, std::string(63, 'a') + "g", "nothex"));
    EXPECT_NE(not_hex.find("not all hex digits"), std::string::npos) << not_hex;

    const auto open_to_all = write_key_file(dir, std::string(64, 'a'), "shared");
    fs::permissions(open_to_all, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
    const std::string shared = load_error(open_to_all);
    EXPECT_NE(shared.find("chmod 600"), std::string::npos) << shared;
}
