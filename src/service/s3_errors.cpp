#include "service/s3_errors.h"

#include <array>

namespace apiary::service {

namespace {

struct Row {
    S3Error error;
    S3ErrorInfo info;
};

// Statuses as the S3 API reference lists them.
constexpr std::array kTable = {
    Row{S3Error::AccessDenied, {403, "AccessDenied"}},
    Row{S3Error::AuthorizationHeaderMalformed, {400, "AuthorizationHeaderMalformed"}},
    Row{S3Error::AuthorizationQueryParametersError, {400, "AuthorizationQueryParametersError"}},
    Row{S3Error::BadDigest, {400, "BadDigest"}},
    Row{S3Error::BucketAlreadyOwnedByYou, {409, "BucketAlreadyOwnedByYou"}},
    Row{S3Error::BucketNotEmpty, {409, "BucketNotEmpty"}},
    Row{S3Error::EntityTooLarge, {400, "EntityTooLarge"}},
    Row{S3Error::EntityTooSmall, {400, "EntityTooSmall"}},
    Row{S3Error::IncompleteBody, {400, "IncompleteBody"}},
    Row{S3Error::InternalError, {500, "InternalError"}},
    Row{S3Error::InvalidAccessKeyId, {403, "InvalidAccessKeyId"}},
    Row{S3Error::InvalidArgument, {400, "InvalidArgument"}},
    Row{S3Error::InvalidBucketName, {400, "InvalidBucketName"}},
    Row{S3Error::InvalidPart, {400, "InvalidPart"}},
    Row{S3Error::InvalidPartOrder, {400, "InvalidPartOrder"}},
    Row{S3Error::InvalidRange, {416, "InvalidRange"}},
    Row{S3Error::InvalidRequest, {400, "InvalidRequest"}},
    Row{S3Error::KeyTooLongError, {400, "KeyTooLongError"}},
    Row{S3Error::MalformedXML, {400, "MalformedXML"}},
    Row{S3Error::MethodNotAllowed, {405, "MethodNotAllowed"}},
    Row{S3Error::MissingContentLength, {411, "MissingContentLength"}},
    Row{S3Error::NoSuchBucket, {404, "NoSuchBucket"}},
    Row{S3Error::NoSuchKey, {404, "NoSuchKey"}},
    Row{S3Error::NoSuchUpload, {404, "NoSuchUpload"}},
    Row{S3Error::NotImplemented, {501, "NotImplemented"}},
    Row{S3Error::RequestHeaderSectionTooLarge, {431, "RequestHeaderSectionTooLarge"}},
    Row{S3Error::RequestTimeout, {400, "RequestTimeout"}},
    Row{S3Error::RequestTimeTooSkewed, {403, "RequestTimeTooSkewed"}},
    Row{S3Error::SignatureDoesNotMatch, {403, "SignatureDoesNotMatch"}},
    Row{S3Error::SlowDown, {503, "SlowDown"}},
    Row{S3Error::UnexpectedContent, {400, "UnexpectedContent"}},
    Row{S3Error::XAmzContentSHA256Mismatch, {400, "XAmzContentSHA256Mismatch"}},
};

}  // namespace

S3ErrorInfo info_of(S3Error error) {
    for (const auto& row : kTable)
        if (row.error == error) return row.info;
    return {500, "InternalError"};
}

std::optional<S3Error> s3_error_named(std::string_view code) {
    for (const auto& row : kTable)
        if (row.info.code == code) return row.error;
    return std::nullopt;
}

ApiError s3_error(S3Error error, const std::string& message) {
    const auto info = info_of(error);
    return ApiError(info.status, std::string(info.code), message);
}

ApiError s3_error_from_store(const std::string& code, const std::string& message) {
    const auto known = s3_error_named(code);
    return known ? s3_error(*known, message) : s3_error(S3Error::InternalError, "internal error");
}

}  // namespace apiary::service
