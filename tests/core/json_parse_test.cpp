// parse_json_limited: a nesting limit checked before nlohmann builds anything, and syntax errors
// with the byte they were found at.
#include <gtest/gtest.h>

#include <chrono>

#include "core/json_parse.h"

namespace apiary {
namespace {

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonParse, OrdinaryDocumentsParse) {
    const Json j = parse_json_limited(R"({"ProjectNames": ["bees", "wasps"], "MaxResults": 10, "s": "a\"[{"})");
    EXPECT_EQ(j["ProjectNames"][1], "wasps");
    EXPECT_EQ(j["MaxResults"], 10);
    EXPECT_EQ(j["s"], "a\"[{");
    EXPECT_EQ(parse_json_limited("[]"), Json::array());
    EXPECT_EQ(parse_json_limited(" 42 "), 42);
}

TEST(JsonParse, DepthUpToTheLimitIsAccepted) {
    EXPECT_NO_THROW(parse_json_limited(nested_arrays(64)));
    EXPECT_NO_THROW(parse_json_limited(nested_arrays(3), 3));
    EXPECT_THROW(parse_json_limited(nested_arrays(4), 3), JsonTooDeep);
    // Siblings do not add up: depth is nesting, not the number of containers.
    std::string wide = "[";
    for (int i = 0; i < 1000; ++i) wide += std::string(i ? "," : "") + "[[1]]";
    EXPECT_NO_THROW(parse_json_limited(wide + "]", 3));
}

TEST(JsonParse, AHundredThousandDeepArrayIsRefusedQuicklyWithItsOffset) {
    const std::string deep = nested_arrays(100000);
    const auto start = std::chrono::steady_clock::now();
    try {
        parse_json_limited(deep);
        FAIL() << "accepted a 100,000-deep array";
    } catch (const JsonTooDeep& e) {
        EXPECT_EQ(e.offset(), 64u);  // the 65th '['
        EXPECT_NE(std::string(e.what()).find("64 levels"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
    // Objects count as levels too, and unclosed ones are refused before the parser sees them.
    std::string objects;
    for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
    EXPECT_THROW(parse_json_limited(objects), JsonTooDeep);
}

TEST(JsonParse, BracketsInsideStringsDoNotCount) {
    const std::string inside = "\"" + std::string(1000, '[') + "\"";
    EXPECT_EQ(parse_json_limited(inside, 1).get<std::string>().size(), 1000u);
    // An escaped quote does not end the string; the brackets after it are still text.
    EXPECT_NO_THROW(parse_json_limited(R"(["\"[[[[[[", "\\"])", 1));
    // ...but after an escaped backslash the quote does end it.
    EXPECT_THROW(check_json_depth(R"(["\\" [[)", 2), JsonTooDeep);
}

TEST(JsonParse, UnbalancedClosersBuyNoExtraLevels) {
    EXPECT_THROW(check_json_depth("]]]]]]" + nested_arrays(5), 4), JsonTooDeep);
}

TEST(JsonParse, SyntaxErrorsNameTheByte) {
    try {
        parse_json_limited(R"({"a": tru})");
        FAIL();
    } catch (const JsonSyntaxError& e) {
        EXPECT_EQ(e.offset(), 9u) << e.what();
        EXPECT_EQ(std::string(e.what()).find("[json.exception"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("byte 9"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_json_limited(""), JsonSyntaxError);
    EXPECT_THROW(parse_json_limited("{} {}"), JsonSyntaxError);
    EXPECT_THROW(parse_json_limited("\"\xff\""), JsonSyntaxError);  // not UTF-8
    try {
        parse_json_limited("[1e400]");
        FAIL();
    } catch (const JsonSyntaxError& e) {
        EXPECT_EQ(e.offset(), JsonSyntaxError::kUnknownOffset);
        EXPECT_NE(std::string(e.what()).find("1e400"), std::string::npos) << e.what();
    }
}

TEST(JsonParse, ErrorsAreApiaryInputErrors) {
    try {
        parse_json_limited(nested_arrays(100));
    } catch (const std::exception& e) {
        EXPECT_EQ(error_kind(e), ErrorKind::input);
    }
}

}  // namespace
}  // namespace apiary
