#include "service/s3_errors.h"

namespace apiary::service {

int http_status(S3Error error) {
    switch (error) {
        case S3Error::AccessDenied: return 403;
        case S3Error::AuthorizationHeaderMalformed: return 400;
        case S3Error::AuthorizationQueryParametersError: return 400;
        case S3Error::BadDigest: return 400;
        case S3Error::BucketAlreadyOwnedByYou: return 409;
        case S3Error::BucketNotEmpty: return 409;
        case S3Error::EntityTooLarge: return 400;
        case S3Error::EntityTooSmall: return 400;
        case S3Error::IncompleteBody: return 400;
        case S3Error::InternalError: return 500;
        case S3Error::InvalidAccessKeyId: return 403;
        case S3Error::InvalidArgument: return 400;
        case S3Error::InvalidBucketName: return 400;
        case S3Error::InvalidPart: return 400;
        case S3Error::InvalidPartOrder: return 400;
        case S3Error::InvalidRange: return 416;
        case S3Error::InvalidRequest: return 400;
        case S3Error::KeyTooLongError: return 400;
        case S3Error::MalformedXML: return 400;
        case S3Error::MethodNotAllowed: return 405;
        case S3Error::MissingContentLength: return 411;
        case S3Error::NoSuchBucket: return 404;
        case S3Error::NoSuchKey: return 404;
        case S3Error::NoSuchUpload: return 404;
        case S3Error::NotImplemented: return 501;
        case S3Error::RequestHeaderSectionTooLarge: return 431;
        case S3Error::RequestTimeout: return 400;
        case S3Error::RequestTimeTooSkewed: return 403;
        case S3Error::SignatureDoesNotMatch: return 403;
        case S3Error::SlowDown: return 503;
        case S3Error::UnexpectedContent: return 400;
        case S3Error::XAmzContentSHA256Mismatch: return 400;
    }
    return 500;  // not reached: the switch covers the enum (-Wswitch names a missing code)
}

ApiError s3_error(S3Error error, const std::string& message) {
    return ApiError(http_status(error), std::string(code_name(error)), message);
}

}  // namespace apiary::service
