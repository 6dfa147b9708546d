// Request members and NextToken/MaxResults paging of the JSON protocol.
#include <gtest/gtest.h>

#include "service/api_error.h"
#include "service/request_fields.h"

namespace apiary::service {
namespace {

TEST(RequestFields, MissingOrMistypedMembersNameTheMember) {
    const Json req = {{"ProjectName", "bees"}, {"MaxResults", "ten"}, {"Empty", ""}, {"Count", 10}};
    EXPECT_EQ(required_string(req, "ProjectName"), "bees");
    for (const char* member : {"Absent", "Empty", "Count"}) {
        try {
            required_string(req, member);
            ADD_FAILURE() << member;
        } catch (const ApiError& e) {
            EXPECT_EQ(e.code(), "InvalidParameterException");
            EXPECT_NE(std::string(e.what()).find(member), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW(optional_number(req, "MaxResults"), ApiError);
    EXPECT_FALSE(optional_string(req, "Absent").has_value());
}

TEST(RequestFields, PagesCoverEveryItemOnce) {
    Json req = {{"MaxResults", 4}};
    std::vector<size_t> seen;
    for (int guard = 0; guard < 10; ++guard) {
        const Page p = page_of(req, 10, 100, 100);
        for (size_t i = p.begin; i < p.end; ++i) seen.push_back(i);
        if (!p.next_token) break;
        req["NextToken"] = *p.next_token;
    }
    ASSERT_EQ(seen.size(), 10u);
    for (size_t i = 0; i < 10; ++i) EXPECT_EQ(seen[i], i);
}

TEST(RequestFields, BadTokensAndLimitsAreRejected) {
    EXPECT_THROW(page_of({{"NextToken", "not a token"}}, 10, 100, 100), ApiError);
    EXPECT_THROW(page_of({{"NextToken", "OTk="}}, 10, 100, 100), ApiError);  // "99": past the end
    EXPECT_THROW(page_of({{"MaxResults", 0}}, 10, 100, 100), ApiError);
    EXPECT_THROW(page_of({{"MaxResults", 101}}, 10, 100, 100), ApiError);
    const Page all = page_of(Json::object(), 3, 100, 100);
    EXPECT_EQ(all.end, 3u);
    EXPECT_FALSE(all.next_token.has_value());
}

}  // namespace
}  // namespace apiary::service
