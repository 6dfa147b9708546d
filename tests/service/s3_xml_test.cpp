// The S3 XML documents: escaping, listing shapes, and refusing malformed request bodies.
#include <gtest/gtest.h>

#include "core/text.h"
#include "service/s3_xml.h"

namespace apiary::service {
namespace {

TEST(S3Xml, EscapesMarkupAndControlCharacters) {
    EXPECT_EQ(escape_markup("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    EXPECT_EQ(escape_markup(std::string("x\x01y", 3)), "x&#1;y");
    EXPECT_EQ(escape_markup("ü/日本"), "ü/日本");  // UTF-8 passes through
}

TEST(S3Xml, TimesAreUtc) {
    EXPECT_EQ(s3xml::iso8601(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
    EXPECT_EQ(s3xml::http_date(1'700'000'000'123), "Tue, 14 Nov 2023 22:13:20 GMT");
}

TEST(S3Xml, ListingV2CarriesTokensPrefixesAndQuotedEtags) {
    store::ListResult r;
    r.objects.push_back({"b", "a&b.jpg", 5, "abc", "image/jpeg", {}, 1'700'000'000'000, {}});
    r.common_prefixes = {"dir/"};
    r.truncated = true;
    r.next_continuation_token = "6e657874";
    r.key_count = 2;
    s3xml::ListEcho echo;
    echo.bucket = std::string(1, 'b');
    echo.delimiter = std::string(1, '/');  // a literal here trips GCC 12's false -Wrestrict
    echo.max_keys = 2;
    const std::string x = s3xml::list_objects(echo, r);
    EXPECT_NE(x.find("<Key>a&amp;b.jpg</Key>"), std::string::npos) << x;
    EXPECT_NE(x.find("<ETag>&quot;abc&quot;</ETag>"), std::string::npos) << x;
    EXPECT_NE(x.find("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"), std::string::npos) << x;
    EXPECT_NE(x.find("<NextContinuationToken>6e657874</NextContinuationToken>"), std::string::npos) << x;
    EXPECT_NE(x.find("<KeyCount>2</KeyCount>"), std::string::npos) << x;

    echo.url_encode = true;  // encoding-type=url, as the AWS CLI asks
    EXPECT_NE(s3xml::list_objects(echo, r).find("<Key>a%26b.jpg</Key>"), std::string::npos);
}

TEST(S3Xml, ParsesCompleteMultipartAndDeleteRequests) {
    const auto parts = s3xml::parse_complete_multipart(
        "<CompleteMultipartUpload><Part><ETag>\"e1\"</ETag><PartNumber>1</PartNumber></Part>"
        "<Part><PartNumber>2</PartNumber><ETag>e2</ETag></Part></CompleteMultipartUpload>");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0], (std::pair<int, std::string>{1, "\"e1\""}));
    EXPECT_EQ(parts[1], (std::pair<int, std::string>{2, "e2"}));

    const auto del = s3xml::parse_delete_objects(
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
        "<Object><Key>a</Key></Object><Object><Key>b/c</Key></Object></Delete>");
    EXPECT_TRUE(del.quiet);
    EXPECT_EQ(del.keys, (std::vector<std::string>{"a", "b/c"}));
}

TEST(S3Xml, MalformedBodiesAreMalformedXml) {
    for (const std::string body : {"", "<Delete><Object>", "<Other/>",
                                   "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part></CompleteMultipartUpload>"}) {
        try {
            if (body.find("Complete") != std::string::npos)
                s3xml::parse_complete_multipart(body);
            else
                s3xml::parse_delete_objects(body);
            ADD_FAILURE() << "accepted: " << body;
        } catch (const store::ObjectStoreError& e) {
            EXPECT_EQ(e.code(), store::S3Error::MalformedXML) << body;
        }
    }
}

}  // namespace
}  // namespace apiary::service
