#pragma once
// An error as an AWS service reports it: an HTTP status, an error code ("__type" in the JSON
// protocol, <Code> in S3's XML) and a message. Handlers throw these; the server writes them.
#include <string>

#include "core/error.h"

namespace apiary::service {

class ApiError : public Error {
public:
    ApiError(int status, std::string code, const std::string& message)
        : Error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }

private:
    int status_;
    std::string code_;
};

// The Rekognition exceptions the service uses, with the reference service's status codes.
namespace rekognition {
inline ApiError invalid_parameter(const std::string& m) { return {400, "InvalidParameterException", m}; }
inline ApiError not_found(const std::string& m) { return {400, "ResourceNotFoundException", m}; }
inline ApiError in_use(const std::string& m) { return {400, "ResourceInUseException", m}; }
inline ApiError not_ready(const std::string& m) { return {400, "ResourceNotReadyException", m}; }
inline ApiError image_too_large(const std::string& m) { return {400, "ImageTooLargeException", m}; }
inline ApiError invalid_image(const std::string& m) { return {400, "InvalidImageFormatException", m}; }
inline ApiError invalid_s3_object(const std::string& m) { return {400, "InvalidS3ObjectException", m}; }
inline ApiError limit_exceeded(const std::string& m) { return {400, "LimitExceededException", m}; }
inline ApiError throttling(const std::string& m) { return {400, "ThrottlingException", m}; }
inline ApiError access_denied(const std::string& m) { return {400, "AccessDeniedException", m}; }
inline ApiError invalid_pagination_token(const std::string& m) { return {400, "InvalidPaginationTokenException", m}; }
inline ApiError service_quota_exceeded(const std::string& m) { return {400, "ServiceQuotaExceededException", m}; }
inline ApiError already_exists(const std::string& m) { return {400, "ResourceAlreadyExistsException", m}; }
}  // namespace rekognition

}  // namespace apiary::service
