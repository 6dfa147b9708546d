#pragma once
// Every S3 error code Apiary answers with, and its HTTP status: one closed list, one table.
#include <optional>
#include <string>
#include <string_view>

#include "service/api_error.h"

namespace apiary::service {

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

struct S3ErrorInfo {
    int status;
    std::string_view code;
};

S3ErrorInfo info_of(S3Error error);
// The error with this code; nullopt for a code not in the list.
std::optional<S3Error> s3_error_named(std::string_view code);
// An ApiError carrying the table's status and code.
ApiError s3_error(S3Error error, const std::string& message);
// An error code thrown by store/ (a string there, so that store/ stays free of HTTP) as the
// API error to answer with; a code outside the list is an internal error.
ApiError s3_error_from_store(const std::string& code, const std::string& message);

}  // namespace apiary::service
