#include <gtest/gtest.h>

#include "data/entry.h"

namespace apiary::data {
namespace {

// Issues quote the user's bytes; their JSON must dump whatever those bytes were.
TEST(DataIssueText, IssueJsonAlwaysDumps) {
    const Issue i{"m\xFF.manifest", 1, "a\x80", "malformed-json", "got '\xC3('", false};
    EXPECT_NO_THROW((void)i.to_json().dump());
    EXPECT_EQ(i.to_json()["file"].get<std::string>(), "m\xEF\xBF\xBD.manifest");
}

}  // namespace
}  // namespace apiary::data
