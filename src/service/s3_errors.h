#pragma once
// The HTTP status of every S3 error code (the closed list is store/s3_error_code.h, so that
// store/ can throw them without knowing HTTP).
#include <string>

#include "service/api_error.h"
#include "store/s3_error_code.h"

namespace apiary::service {

using store::S3Error;

// The status S3 answers `error` with, as the S3 API reference lists them.
int http_status(S3Error error);
// An ApiError carrying the error's status and code.
ApiError s3_error(S3Error error, const std::string& message);

}  // namespace apiary::service
