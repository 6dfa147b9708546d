#include "data/utf8.h"

#include <gtest/gtest.h>

#include "data/entry.h"

namespace apiary::data {
namespace {

using detail::valid_utf8;

TEST(DataUtf8Test, ValidTextIsUnchanged) {
    EXPECT_EQ(valid_utf8(""), "");
    EXPECT_EQ(valid_utf8("plain"), "plain");
    EXPECT_EQ(valid_utf8("Bien\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D"), "Bien\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\x9D");
}

TEST(DataUtf8Test, InvalidSequencesAreReplaced) {
    EXPECT_EQ(valid_utf8("a\xFFz"), "a\xEF\xBF\xBDz");
    EXPECT_EQ(valid_utf8("\xC3"), "\xEF\xBF\xBD");                 // cut short
    EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
    EXPECT_EQ(valid_utf8("\xED\xA0\x80").substr(0, 3), "\xEF\xBF\xBD");  // surrogate
}

TEST(DataUtf8Test, IssueJsonAlwaysDumps) {
    const Issue i{"m\xFF.manifest", 1, "a\x80", "malformed-json", "got '\xC3('", false};
    EXPECT_NO_THROW((void)i.to_json().dump());
}

}  // namespace
}  // namespace apiary::data
