#include "service/s3_xml.h"

#include "core/text.h"

#include <pugixml.hpp>

#include <ctime>

#include "service/sigv4.h"

namespace apiary::service::s3xml {
namespace {

constexpr const char* kNamespace = "http://s3.amazonaws.com/doc/2006-03-01/";

std::string element(const std::string& name, const std::string& value) {
    return "<" + name + ">" + escape_markup(value) + "</" + name + ">";
}

std::string quoted(const std::string& etag) { return "&quot;" + etag + "&quot;"; }

std::string format_time(int64_t ms, const char* format) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

[[noreturn]] void malformed(const std::string& why) {
    throw store::ObjectStoreError(store::S3Error::MalformedXML, "The XML you provided was not well-formed: " + why);
}

}  // namespace

std::string iso8601(int64_t ms) {
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
    return format_time(ms, "%Y-%m-%dT%H:%M:%S") + millis;
}

std::string http_date(int64_t ms) { return format_time(ms, "%a, %d %b %Y %H:%M:%S GMT"); }

std::string error(const std::string& code, const std::string& message, const std::string& resource) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><Error>)" + element("Code", code) + element("Message", message) +
           element("Resource", resource) + element("RequestId", "apiary") + "</Error>";
}

std::string list_buckets(const std::vector<store::BucketInfo>& buckets) {
    std::string x = R"(<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult xmlns=")" + std::string(kNamespace) +
                    R"("><Owner><ID>apiary</ID><DisplayName>apiary</DisplayName></Owner><Buckets>)";
    for (const auto& b : buckets)
        x += "<Bucket>" + element("Name", b.name) + element("CreationDate", iso8601(b.created_ms)) + "</Bucket>";
    return x + "</Buckets></ListAllMyBucketsResult>";
}

std::string list_objects(const ListEcho& echo, const store::ListResult& result) {
    // encoding-type=url: keys percent-encoded by the same rule as SigV4's, '/' kept.
    auto key_text = [&](const std::string& k) { return echo.url_encode ? uri_encode(k, false) : k; };
    std::string x = R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns=")" + std::string(kNamespace) + R"(">)";
    x += element("Name", echo.bucket) + element("Prefix", key_text(echo.prefix));
    if (!echo.delimiter.empty()) x += element("Delimiter", key_text(echo.delimiter));
    x += element("MaxKeys", std::to_string(echo.max_keys));
    if (echo.url_encode) x += element("EncodingType", "url");
    x += element("IsTruncated", result.truncated ? "true" : "false");
    if (echo.v2) {
        x += element("KeyCount", std::to_string(result.key_count));
        if (!echo.continuation_token.empty()) x += element("ContinuationToken", echo.continuation_token);
        if (result.truncated) x += element("NextContinuationToken", result.next_continuation_token);
        if (!echo.start_after.empty()) x += element("StartAfter", key_text(echo.start_after));
    } else {
        x += element("Marker", key_text(echo.marker));
        // NextMarker is only sent with a delimiter; without one clients use the last key.
        if (result.truncated && !echo.delimiter.empty()) {
            std::string last = result.objects.empty() ? "" : result.objects.back().key;
            if (!result.common_prefixes.empty() && result.common_prefixes.back() > last) last = result.common_prefixes.back();
            x += element("NextMarker", key_text(last));
        }
    }
    for (const auto& o : result.objects)
        x += "<Contents>" + element("Key", key_text(o.key)) + element("LastModified", iso8601(o.modified_ms)) +
             "<ETag>" + quoted(o.etag) + "</ETag>" + element("Size", std::to_string(o.size)) +
             element("StorageClass", "STANDARD") + "</Contents>";
    for (const auto& p : result.common_prefixes) x += "<CommonPrefixes>" + element("Prefix", key_text(p)) + "</CommonPrefixes>";
    return x + "</ListBucketResult>";
}

std::string copy_object_result(const store::ObjectInfo& info) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult>)" + element("LastModified", iso8601(info.modified_ms)) +
           "<ETag>" + quoted(info.etag) + "</ETag></CopyObjectResult>";
}

std::string initiate_multipart(const std::string& bucket, const std::string& key, const std::string& upload_id) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns=")" + std::string(kNamespace) +
           R"(">)" + element("Bucket", bucket) + element("Key", key) + element("UploadId", upload_id) +
           "</InitiateMultipartUploadResult>";
}

std::string complete_multipart(const std::string& location, const store::ObjectInfo& info) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns=")" + std::string(kNamespace) +
           R"(">)" + element("Location", location) + element("Bucket", info.bucket) + element("Key", info.key) + "<ETag>" +
           quoted(info.etag) + "</ETag></CompleteMultipartUploadResult>";
}

std::string list_parts(const std::string& bucket, const std::string& key, const std::string& upload_id,
                       const std::vector<store::PartInfo>& parts) {
    std::string x = R"(<?xml version="1.0" encoding="UTF-8"?><ListPartsResult xmlns=")" + std::string(kNamespace) + R"(">)" +
                    element("Bucket", bucket) + element("Key", key) + element("UploadId", upload_id) +
                    element("IsTruncated", "false");
    for (const auto& p : parts)
        x += "<Part>" + element("PartNumber", std::to_string(p.number)) + element("LastModified", iso8601(p.modified_ms)) +
             "<ETag>" + quoted(p.etag) + "</ETag>" + element("Size", std::to_string(p.size)) + "</Part>";
    return x + "</ListPartsResult>";
}

std::string delete_result(const std::vector<DeleteOutcome>& outcomes, bool quiet) {
    std::string x = R"(<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns=")" + std::string(kNamespace) + R"(">)";
    for (const auto& o : outcomes) {
        if (o.error_code.empty()) {
            if (!quiet) x += "<Deleted>" + element("Key", o.key) + "</Deleted>";
        } else {
            x += "<Error>" + element("Key", o.key) + element("Code", o.error_code) + element("Message", o.error_message) +
                 "</Error>";
        }
    }
    return x + "</DeleteResult>";
}

std::string location(const std::string& region) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns=")" + std::string(kNamespace) + R"(">)" +
           escape_markup(region) + "</LocationConstraint>";
}

std::vector<std::pair<int, std::string>> parse_complete_multipart(const std::string& body) {
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) malformed("not XML");
    const auto root = doc.child("CompleteMultipartUpload");
    if (!root) malformed("expected <CompleteMultipartUpload>");
    std::vector<std::pair<int, std::string>> parts;
    for (const auto& part : root.children("Part")) {
        const std::string number = part.child_value("PartNumber");
        if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 5)
            malformed("PartNumber '" + number + "' is not a number");
        parts.emplace_back(std::stoi(number), part.child_value("ETag"));
    }
    return parts;
}

DeleteRequest parse_delete_objects(const std::string& body) {
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) malformed("not XML");
    const auto root = doc.child("Delete");
    if (!root) malformed("expected <Delete>");
    DeleteRequest r;
    r.quiet = std::string(root.child_value("Quiet")) == "true";
    for (const auto& object : root.children("Object")) r.keys.push_back(object.child_value("Key"));
    if (r.keys.size() > 1000) malformed("at most 1000 keys per request");
    return r;
}

}  // namespace apiary::service::s3xml
