#pragma once
// The XML documents of the S3 REST API subset Apiary serves: responses written by hand (a few
// fixed shapes, escaped), requests (DeleteObjects, CompleteMultipartUpload) read with pugixml.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "store/object_store.h"

namespace apiary::service::s3xml {

std::string iso8601(int64_t ms);   // 2026-11-25T10:00:00.000Z, as in listings
std::string http_date(int64_t ms); // Wed, 25 Nov 2026 10:00:00 GMT, as in Last-Modified

std::string error(const std::string& code, const std::string& message, const std::string& resource);
std::string list_buckets(const std::vector<store::BucketInfo>& buckets);
// ListObjectsV2 (v2 = true) or the original ListObjects; `url_encode` as the client asked
// with encoding-type=url.
struct ListEcho {
    std::string bucket, prefix, delimiter, start_after, continuation_token, marker;
    int max_keys = 1000;
    bool v2 = true;
    bool url_encode = false;
};
std::string list_objects(const ListEcho& echo, const store::ListResult& result);
std::string copy_object_result(const store::ObjectInfo& info);
std::string initiate_multipart(const std::string& bucket, const std::string& key, const std::string& upload_id);
std::string complete_multipart(const std::string& location, const store::ObjectInfo& info);
std::string list_parts(const std::string& bucket, const std::string& key, const std::string& upload_id,
                       const std::vector<store::PartInfo>& parts);
struct DeleteOutcome {
    std::string key;
    std::string error_code, error_message;  // empty when deleted
};
std::string delete_result(const std::vector<DeleteOutcome>& outcomes, bool quiet);
std::string location(const std::string& region);

// Request bodies. Both throw store::ObjectStoreError(S3Error::MalformedXML) on anything unexpected.
std::vector<std::pair<int, std::string>> parse_complete_multipart(const std::string& body);
struct DeleteRequest {
    std::vector<std::string> keys;
    bool quiet = false;
};
DeleteRequest parse_delete_objects(const std::string& body);

}  // namespace apiary::service::s3xml
