// Each S3 error code's HTTP status: one table for store/'s refusals and the service's own.
#include "service/s3_errors.h"

#include <gtest/gtest.h>

#include "store/object_store.h"

namespace apiary::service {
namespace {

TEST(S3Errors, EveryCodeHasAnErrorStatus) {
    for (const S3Error e : store::all_s3_errors()) {
        const int status = http_status(e);
        EXPECT_TRUE(status >= 400 && status <= 599) << code_name(e) << ": " << status;
        const ApiError error = s3_error(e, "why");
        EXPECT_EQ(error.status(), status);
        EXPECT_EQ(error.code(), code_name(e));
        EXPECT_STREQ(error.what(), "why");
    }
}

TEST(S3Errors, StatusesAreTheS3References) {
    EXPECT_EQ(http_status(S3Error::NoSuchBucket), 404);
    EXPECT_EQ(http_status(S3Error::NoSuchKey), 404);
    EXPECT_EQ(http_status(S3Error::NoSuchUpload), 404);
    EXPECT_EQ(http_status(S3Error::BucketNotEmpty), 409);
    EXPECT_EQ(http_status(S3Error::BucketAlreadyOwnedByYou), 409);
    EXPECT_EQ(http_status(S3Error::AccessDenied), 403);
    EXPECT_EQ(http_status(S3Error::SignatureDoesNotMatch), 403);
    EXPECT_EQ(http_status(S3Error::InvalidRange), 416);
    EXPECT_EQ(http_status(S3Error::MethodNotAllowed), 405);
    EXPECT_EQ(http_status(S3Error::MissingContentLength), 411);
    EXPECT_EQ(http_status(S3Error::RequestHeaderSectionTooLarge), 431);
    EXPECT_EQ(http_status(S3Error::NotImplemented), 501);
    EXPECT_EQ(http_status(S3Error::SlowDown), 503);
    EXPECT_EQ(http_status(S3Error::InternalError), 500);
    EXPECT_EQ(http_status(S3Error::MalformedXML), 400);
}

TEST(S3Errors, AStoreRefusalIsAnsweredWithItsCodesStatus) {
    try {
        throw store::ObjectStoreError(S3Error::NoSuchUpload, "The specified multipart upload does not exist: u");
    } catch (const store::ObjectStoreError& e) {
        const ApiError error = s3_error(e.code(), e.what());
        EXPECT_EQ(error.status(), 404);
        EXPECT_EQ(error.code(), "NoSuchUpload");
    }
}

}  // namespace
}  // namespace apiary::service
