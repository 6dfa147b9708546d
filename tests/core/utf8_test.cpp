#include "core/utf8.h"

#include <gtest/gtest.h>

namespace apiary {
namespace {

TEST(Utf8, ValidTextIsUnchanged) {
    EXPECT_EQ(valid_utf8(""), "");
    EXPECT_EQ(valid_utf8("plain"), "plain");
    EXPECT_EQ(valid_utf8("Bien\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D"), "Bien\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D");
}

TEST(Utf8, InvalidSequencesAreReplaced) {
    EXPECT_EQ(valid_utf8("a\xFFz"), "a\xEF\xBF\xBDz");
    EXPECT_EQ(valid_utf8("\xC3"), "\xEF\xBF\xBD");                 // cut short
    EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
    EXPECT_EQ(valid_utf8("\xED\xA0\x80").substr(0, 3), "\xEF\xBF\xBD");  // surrogate
}

TEST(Utf8, ValidityFollowsRfc3629) {
    for (const std::string_view ok : {"", "key", "\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                                      "\xEE\x80\x80", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
                                      "photos/\xC3\xBC\xE6\x97\xA5.jpg"})
        EXPECT_TRUE(is_valid_utf8(ok)) << testing::PrintToString(std::string(ok));
    for (const std::string_view bad : {"\x80", "\xBF", "\xC0\x80", "\xC1\xBF",  // stray continuation, overlong 2-byte
                                       "\xE0\x9F\xBF",                          // overlong 3-byte
                                       "\xED\xA0\x80", "\xED\xBF\xBF",          // surrogates
                                       "\xF0\x8F\xBF\xBF",                      // overlong 4-byte
                                       "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",  // above U+10FFFF
                                       "\xF8\x88\x80\x80\x80", "\xFF",          // no such lead byte
                                       "\xC3", "\xE2\x82", "\xF0\x9F\x90",      // cut short
                                       "a\xC3(z"})                              // not a continuation
        EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(std::string(bad));
}

TEST(Utf8, TheReplacementIsAlwaysValid) {
    std::string every_byte;
    for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
    EXPECT_TRUE(is_valid_utf8(valid_utf8(every_byte)));
    EXPECT_TRUE(is_valid_utf8(valid_utf8("\xF0\x9F\x90")));
}

}  // namespace
}  // namespace apiary
