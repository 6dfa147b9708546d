// The closed list of S3 error codes store/ and service/ throw.
#include "store/s3_error_code.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "store/object_store.h"

namespace apiary::store {
namespace {

TEST(S3ErrorCode, EveryCodeHasItsOwnNameSpelledAsS3Does) {
    std::set<std::string_view> names;
    for (const S3Error e : all_s3_errors()) {
        const auto name = code_name(e);
        EXPECT_FALSE(name.empty());
        // S3's codes are identifiers: letters and digits, starting upper case.
        EXPECT_TRUE(name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
                    std::string_view::npos) << name;
        EXPECT_TRUE(name[0] >= 'A' && name[0] <= 'Z') << name;
        EXPECT_TRUE(names.insert(name).second) << name << " twice";
    }
    EXPECT_EQ(names.size(), all_s3_errors().size());
    EXPECT_EQ(code_name(S3Error::NoSuchKey), "NoSuchKey");
    EXPECT_EQ(code_name(S3Error::XAmzContentSHA256Mismatch), "XAmzContentSHA256Mismatch");
    EXPECT_EQ(code_name(S3Error::KeyTooLongError), "KeyTooLongError");
}

TEST(S3ErrorCode, AnObjectStoreErrorCarriesItsCodeAndName) {
    const ObjectStoreError e(S3Error::NoSuchBucket, "The specified bucket does not exist: b");
    EXPECT_EQ(e.code(), S3Error::NoSuchBucket);
    EXPECT_EQ(e.code_name(), "NoSuchBucket");
    EXPECT_STREQ(e.what(), "The specified bucket does not exist: b");
}

}  // namespace
}  // namespace apiary::store
