#pragma once
// Every S3 error code Apiary answers with: one closed list, so that neither store/ nor service/
// can throw a code the HTTP layer does not know (service/s3_errors.h gives each its status).
#include <span>
#include <string_view>

namespace apiary::store {

enum class S3Error {
    AccessDenied,
    AuthorizationHeaderMalformed,
    AuthorizationQueryParametersError,
    BadDigest,
    BucketAlreadyOwnedByYou,
    BucketNotEmpty,
    EntityTooLarge,
    EntityTooSmall,
    IncompleteBody,
    InternalError,
    InvalidAccessKeyId,
    InvalidArgument,
    InvalidBucketName,
    InvalidPart,
    InvalidPartOrder,
    InvalidRange,
    InvalidRequest,
    KeyTooLongError,
    MalformedXML,
    MethodNotAllowed,
    MissingContentLength,
    NoSuchBucket,
    NoSuchKey,
    NoSuchUpload,
    NotImplemented,
    RequestHeaderSectionTooLarge,
    RequestTimeout,
    RequestTimeTooSkewed,
    SignatureDoesNotMatch,
    SlowDown,
    UnexpectedContent,
    XAmzContentSHA256Mismatch,
};

// The code as S3 spells it in <Code>, e.g. "NoSuchKey".
std::string_view code_name(S3Error error);
// Every value, in declaration order (for tables and tests that must cover them all).
std::span<const S3Error> all_s3_errors();

}  // namespace apiary::store
