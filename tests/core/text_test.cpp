// core/text: the one copy of the ASCII helpers protocol code uses (case folding, hex digits,
// percent decoding, splitting), defined for every byte.
#include "core/text.h"

#include <gtest/gtest.h>

#include "core/hash.h"

namespace apiary {
namespace {

TEST(Text, CaseFoldingTouchesOnlyAsciiLetters) {
    EXPECT_EQ(ascii_lowercase("Content-MD5 X-Amz-Date"), "content-md5 x-amz-date");
    EXPECT_EQ(ascii_uppercase("train-1.jpg"), "TRAIN-1.JPG");
    // Bytes above 127 (UTF-8 here) pass through: ::tolower on such a char is undefined.
    EXPECT_EQ(ascii_lowercase("\xC3\x9C.JPG"), "\xC3\x9C.jpg");
    EXPECT_EQ(ascii_uppercase("\xC3\xBC.jpg"), "\xC3\xBC.JPG");
    std::string every_byte;
    for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
    const std::string lower = ascii_lowercase(every_byte);
    for (int b = 0; b < 256; ++b)
        EXPECT_EQ(static_cast<unsigned char>(lower[b]), b >= 'A' && b <= 'Z' ? b + 32 : b) << b;
}

TEST(Text, CaseInsensitiveComparison) {
    EXPECT_TRUE(iequals("X-Amz-Content-SHA256", "x-amz-content-sha256"));
    EXPECT_FALSE(iequals("x-amz-date", "x-amz-dat"));
    EXPECT_FALSE(iequals("\xC3\x9C", "\xC3\xBC"));  // not Unicode folding
    EXPECT_TRUE(istarts_with("X-AMZ-META-colour", "x-amz-meta-"));
    EXPECT_FALSE(istarts_with("x-amz", "x-amz-meta-"));
}

TEST(Text, HexDigitsOfEitherCase) {
    EXPECT_EQ(hex_value('0'), 0);
    EXPECT_EQ(hex_value('9'), 9);
    EXPECT_EQ(hex_value('a'), 10);
    EXPECT_EQ(hex_value('F'), 15);
    for (const char c : {'g', 'G', ' ', '%', '\0', '\xFF'}) EXPECT_EQ(hex_value(c), -1) << int(c);
    EXPECT_EQ(from_hex("00ff7A"), std::string("\x00\xff\x7a", 3));
    EXPECT_EQ(from_hex(to_hex("any \x01 bytes")), "any \x01 bytes");
    EXPECT_EQ(from_hex("abc"), std::nullopt);  // odd length
    EXPECT_EQ(from_hex("zz"), std::nullopt);
}

TEST(Text, PercentDecodingKeepsPlusAndLoneSigns) {
    EXPECT_EQ(percent_decode("my%20cat+dog%2Bx"), "my cat+dog+x");  // '+' is not a space (SigV4)
    EXPECT_EQ(percent_decode("%C3%bc"), "\xC3\xBC");
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%4"), "%4");
    EXPECT_EQ(percent_decode("%zz%41"), "%zzA");
    EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
}

TEST(Text, SplitKeepsEmptyPieces) {
    EXPECT_EQ(split("a;b;c", ';'), (std::vector<std::string_view>{"a", "b", "c"}));
    EXPECT_EQ(split("", ';'), (std::vector<std::string_view>{""}));
    EXPECT_EQ(split(";a;", ';'), (std::vector<std::string_view>{"", "a", ""}));
    EXPECT_EQ(split("no-separator", ';'), (std::vector<std::string_view>{"no-separator"}));
}

}  // namespace
}  // namespace apiary
