#include "store/s3_error_code.h"

#include <array>
#include <cstddef>

namespace apiary::store {
namespace {

constexpr std::array kAll = {
    S3Error::AccessDenied,
    S3Error::AuthorizationHeaderMalformed,
    S3Error::AuthorizationQueryParametersError,
    S3Error::BadDigest,
    S3Error::BucketAlreadyOwnedByYou,
    S3Error::BucketNotEmpty,
    S3Error::EntityTooLarge,
    S3Error::EntityTooSmall,
    S3Error::IncompleteBody,
    S3Error::InternalError,
    S3Error::InvalidAccessKeyId,
    S3Error::InvalidArgument,
    S3Error::InvalidBucketName,
    S3Error::InvalidPart,
    S3Error::InvalidPartOrder,
    S3Error::InvalidRange,
    S3Error::InvalidRequest,
    S3Error::KeyTooLongError,
    S3Error::MalformedXML,
    S3Error::MethodNotAllowed,
    S3Error::MissingContentLength,
    S3Error::NoSuchBucket,
    S3Error::NoSuchKey,
    S3Error::NoSuchUpload,
    S3Error::NotImplemented,
    S3Error::RequestHeaderSectionTooLarge,
    S3Error::RequestTimeout,
    S3Error::RequestTimeTooSkewed,
    S3Error::SignatureDoesNotMatch,
    S3Error::SlowDown,
    S3Error::UnexpectedContent,
    S3Error::XAmzContentSHA256Mismatch,
};

// The list holds each value once, in order, and ends with the enum's last value: a value added
// to the enum but not here fails this (code_name's switch warns for a missing name).
constexpr bool in_declaration_order() {
    for (size_t i = 0; i < kAll.size(); ++i)
        if (static_cast<size_t>(kAll[i]) != i) return false;
    return kAll.back() == S3Error::XAmzContentSHA256Mismatch;
}
static_assert(in_declaration_order(), "kAll must list every S3Error in declaration order");

}  // namespace

std::string_view code_name(S3Error error) {
    switch (error) {
        case S3Error::AccessDenied: return "AccessDenied";
        case S3Error::AuthorizationHeaderMalformed: return "AuthorizationHeaderMalformed";
        case S3Error::AuthorizationQueryParametersError: return "AuthorizationQueryParametersError";
        case S3Error::BadDigest: return "BadDigest";
        case S3Error::BucketAlreadyOwnedByYou: return "BucketAlreadyOwnedByYou";
        case S3Error::BucketNotEmpty: return "BucketNotEmpty";
        case S3Error::EntityTooLarge: return "EntityTooLarge";
        case S3Error::EntityTooSmall: return "EntityTooSmall";
        case S3Error::IncompleteBody: return "IncompleteBody";
        case S3Error::InternalError: return "InternalError";
        case S3Error::InvalidAccessKeyId: return "InvalidAccessKeyId";
        case S3Error::InvalidArgument: return "InvalidArgument";
        case S3Error::InvalidBucketName: return "InvalidBucketName";
        case S3Error::InvalidPart: return "InvalidPart";
        case S3Error::InvalidPartOrder: return "InvalidPartOrder";
        case S3Error::InvalidRange: return "InvalidRange";
        case S3Error::InvalidRequest: return "InvalidRequest";
        case S3Error::KeyTooLongError: return "KeyTooLongError";
        case S3Error::MalformedXML: return "MalformedXML";
        case S3Error::MethodNotAllowed: return "MethodNotAllowed";
        case S3Error::MissingContentLength: return "MissingContentLength";
        case S3Error::NoSuchBucket: return "NoSuchBucket";
        case S3Error::NoSuchKey: return "NoSuchKey";
        case S3Error::NoSuchUpload: return "NoSuchUpload";
        case S3Error::NotImplemented: return "NotImplemented";
        case S3Error::RequestHeaderSectionTooLarge: return "RequestHeaderSectionTooLarge";
        case S3Error::RequestTimeout: return "RequestTimeout";
        case S3Error::RequestTimeTooSkewed: return "RequestTimeTooSkewed";
        case S3Error::SignatureDoesNotMatch: return "SignatureDoesNotMatch";
        case S3Error::SlowDown: return "SlowDown";
        case S3Error::UnexpectedContent: return "UnexpectedContent";
        case S3Error::XAmzContentSHA256Mismatch: return "XAmzContentSHA256Mismatch";
    }
    return "InternalError";  // not reached: the switch covers the enum
}

std::span<const S3Error> all_s3_errors() { return kAll; }

}  // namespace apiary::store
