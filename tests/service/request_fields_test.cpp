// Request members and NextToken/MaxResults paging of the JSON protocol.
#include <gtest/gtest.h>

#include <limits>

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

namespace apiary::service {
namespace {

// The message of the InvalidParameterException `read` throws, or "" if it throws none.
template <typename F>
std::string refusal(F&& read) {
    try {
        read();
    } catch (const ApiError& e) {
        EXPECT_EQ(e.code(), "InvalidParameterException");
        EXPECT_EQ(e.status(), 400);
        return e.what();
    }
    return "";
}

TEST(Members, WrongTypesNameTheMemberAndWhatItShouldBe) {
    const Json body = Json::parse(R"({"Names": ["a", 1], "Tags": {"k": 5}, "Flag": "yes", "Obj": "x",
                                      "List": {}, "S": {"a": 1}, "Image": {"S3Object": {"Bucket": []}}})");
    const Members req(body);
    EXPECT_EQ(refusal([&] { req.string_list("Names"); }), "Names[1] must be a string, not a number");
    EXPECT_EQ(refusal([&] { req.string_map("Tags"); }), "Tags.k must be a string, not a number");
    EXPECT_EQ(refusal([&] { req.optional_bool("Flag"); }), "Flag must be true or false, not a string");
    EXPECT_EQ(refusal([&] { req.optional_object("Obj"); }), "Obj must be an object, not a string");
    EXPECT_EQ(refusal([&] { req.object_list("List"); }), "List must be a list of objects, not an object");
    EXPECT_EQ(refusal([&] { req.optional_string("S"); }), "S must be a string, not an object");
    EXPECT_EQ(refusal([&] { req.required_object("Image").required_object("S3Object").required_string("Bucket"); }),
              "Image.S3Object.Bucket must be a non-empty string, not an array");
    EXPECT_EQ(refusal([&] { Members(Json::array()); }), "the request body must be a JSON object");
}

TEST(Members, NullIsAbsent) {
    const Json body = {{"A", nullptr}};
    const Members req(body);
    EXPECT_FALSE(req.has("A"));
    EXPECT_FALSE(req.optional_string("A"));
    EXPECT_TRUE(req.string_list("A").empty());
    EXPECT_EQ(refusal([&] { req.required_string("A"); }), "A is required");
}

TEST(Members, IntegersMustBeWholeAndInRange) {
    const auto integer = [](const Json& value) {
        const Json body = {{"MaxResults", value}};
        return Members(body).optional_integer("MaxResults", 1, 100);
    };
    EXPECT_EQ(integer(10), 10);
    EXPECT_EQ(integer(10.0), 10);  // 1e1 is 10 however it is spelled
    EXPECT_EQ(integer(100), 100);
    for (const Json& bad : {Json(0), Json(101), Json(-1), Json(10.5), Json(1e300), Json(-1e300),
                            Json(18446744073709551615ull), Json(std::numeric_limits<int64_t>::min())}) {
        const std::string message = refusal([&] { integer(bad); });
        EXPECT_NE(message.find("MaxResults must be an integer from 1 to 100, not "), std::string::npos) << bad;
    }
    for (const Json& bad : {Json("10"), Json(true), Json::array({10}), Json::object()})
        EXPECT_NE(refusal([&] { integer(bad); }).find("MaxResults must be an integer"), std::string::npos) << bad;
    // Near int64's ends doubles round; the exact comparison still holds.
    const Json top = {{"N", std::numeric_limits<int64_t>::max()}};
    EXPECT_EQ(Members(top).optional_integer("N", 0, std::numeric_limits<int64_t>::max()),
              std::numeric_limits<int64_t>::max());
    EXPECT_NE(refusal([&] { Members(top).optional_integer("N", 0, std::numeric_limits<int64_t>::max() - 1); }), "");
}

TEST(Members, NumbersMustBeInRange) {
    const auto confidence = [](const Json& value) {
        const Json body = {{"MinConfidence", value}};
        return Members(body).optional_number("MinConfidence", 0, 100);
    };
    EXPECT_EQ(confidence(55.5), 55.5);
    EXPECT_EQ(refusal([&] { confidence(1e300); }), "MinConfidence must be a number from 0 to 100, not 1e+300");
    EXPECT_NE(refusal([&] { confidence(-0.5); }), "");
    EXPECT_EQ(refusal([&] { confidence("50"); }), "MinConfidence must be a number, not a string");
}

TEST(Members, TagsFollowTheReferenceRules) {
    const auto tags = [](const Json& value) {
        const Json body = {{"Tags", value}};
        return tags_member(Members(body), "Tags");
    };
    EXPECT_EQ(tags({{"team", "bees"}}).at("team"), "bees");
    EXPECT_NE(refusal([&] { tags({{"aws:x", "1"}}); }).find("aws:"), std::string::npos);
    EXPECT_NE(refusal([&] { tags({{std::string(129, 'k'), "1"}}); }).find("1-128"), std::string::npos);
    EXPECT_NE(refusal([&] { tags({{"k", std::string(257, 'v')}}); }).find("Tags.k exceeds 256"), std::string::npos);
    EXPECT_EQ(refusal([&] { tags({{"k", 1}}); }), "Tags.k must be a string, not a number");
}

TEST(RequestFields, TokensMustBeOnesTheServiceHandedOut) {
    // Refused with the reference service's own error name, which its programs catch.
    for (const char* token : {"MTBh" /* "10a" */, "LTE=" /* "-1" */, "+", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ=="}) {
        try {
            page_of({{"NextToken", token}}, 20, 100, 100);
            ADD_FAILURE() << "accepted " << token;
        } catch (const ApiError& e) {
            EXPECT_EQ(e.code(), "InvalidPaginationTokenException") << token;
            EXPECT_NE(std::string(e.what()).find("NextToken"), std::string::npos) << token;
        }
    }
    EXPECT_EQ(page_of({{"NextToken", "MTA="}}, 20, 100, 100).begin, 10u);  // "10"
}

TEST(RequestFields, AnEmptyTokenAsksForTheFirstPage) {
    const Page first = page_of({{"NextToken", ""}, {"MaxResults", 5}}, 20, 100, 100);
    EXPECT_EQ(first.begin, 0u);
    EXPECT_EQ(first.end, 5u);
    EXPECT_TRUE(first.next_token.has_value());
}

}  // namespace
}  // namespace apiary::service
