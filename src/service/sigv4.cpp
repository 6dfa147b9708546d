#include "service/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "core/hash.h"
#include "core/text.h"
#include "service/s3_errors.h"

namespace apiary::service {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";
constexpr int64_t kMaxPresignedExpirySeconds = 7 * 24 * 3600;  // AWS's limit for X-Amz-Expires

// boto3 presigns S3 URLs with Signature Version 2 unless told otherwise, so say how to switch.
constexpr const char* kOnlySigV4 =
    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256 (boto3: "
    "Config(signature_version='s3v4'); AWS CLI v1: aws configure set default.s3.signature_version s3v4)";

using Params = std::vector<std::pair<std::string, std::string>>;

// --- text helpers -------------------------------------------------------------------------

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

// SigV4's "Trimall": clients may fold whitespace differently, so only one blank survives.
std::string collapse_blanks(std::string_view s) {
    std::string out;
    for (char c : trim(s)) {
        if (!is_blank(c))
            out += c;
        else if (out.back() != ' ')
            out += ' ';
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, char sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : std::string(1, sep)) + p;
    return out;
}

bool is_sha256_hex(std::string_view s) {
    return s.size() == 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// '+' is kept literally: AWS clients send a space as %20, and the signature covers a '+' as %2B.
Params decoded_params(std::string_view raw_query) {
    Params params;
    for (std::string_view piece : split(raw_query, '&')) {
        if (piece.empty()) continue;
        const size_t eq = piece.find('=');
        params.emplace_back(percent_decode(piece.substr(0, eq)),
                            eq == std::string_view::npos ? "" : percent_decode(piece.substr(eq + 1)));
    }
    return params;
}

std::optional<std::string> param(const Params& params, std::string_view name) {
    for (const auto& [n, v] : params)
        if (n == name) return v;
    return std::nullopt;
}

// All values of a header, canonicalised and joined with ','; nullopt when it is absent.
std::optional<std::string> header_value(const HeaderList& headers, std::string_view name) {
    std::optional<std::string> joined;
    for (const auto& [n, v] : headers) {
        if (!iequals(n, name)) continue;
        joined = joined ? *joined + "," + collapse_blanks(v) : collapse_blanks(v);
    }
    return joined;
}

// The dot-segment removal botocore applies before signing, including dropping empty segments.
std::string remove_dot_segments(std::string_view path) {
    std::vector<std::string> kept;
    for (std::string_view segment : split(path, '/')) {
        if (segment.empty() || segment == ".") continue;
        if (segment != "..")
            kept.emplace_back(segment);
        else if (!kept.empty())
            kept.pop_back();
    }
    std::string out = "/";
    out += join(kept, '/');
    if (!kept.empty() && path.back() == '/') out += '/';
    return out;
}

std::optional<int> digits(std::string_view s) {
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::optional<int64_t> parse_amz_date(std::string_view s) {
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
    const auto y = digits(s.substr(0, 4)), mo = digits(s.substr(4, 2)), d = digits(s.substr(6, 2));
    const auto h = digits(s.substr(9, 2)), mi = digits(s.substr(11, 2)), sec = digits(s.substr(13, 2));
    if (!y || !mo || !d || !h || !mi || !sec || *h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year(*y), std::chrono::month(*mo), std::chrono::day(*d)};
    if (!date.ok()) return std::nullopt;
    const int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
    return days * 86400 + *h * 3600 + *mi * 60 + *sec;
}

// --- verification -------------------------------------------------------------------------

enum class Fault {
    Missing,
    Malformed,
    InvalidRequest,
    UnknownKey,
    BadSignature,
    Skewed,
    Expired,
    BodyMismatch,
    Streaming,
    UnsignedHeaders
};

struct JsonErrorCode {
    int status;
    const char* code;
};

struct FaultCodes {
    S3Error s3;  // its status is S3's table's (service/s3_errors.h)
    JsonErrorCode json;
};

// Rows follow Fault's order; the columns are {S3, JSON services} (see the table in sigv4.h).
constexpr FaultCodes kErrorCodes[] = {
    {S3Error::AccessDenied, {403, "MissingAuthenticationToken"}},
    {S3Error::AuthorizationHeaderMalformed, {400, "IncompleteSignature"}},
    {S3Error::InvalidRequest, {400, "IncompleteSignature"}},
    {S3Error::InvalidAccessKeyId, {400, "UnrecognizedClientException"}},
    {S3Error::SignatureDoesNotMatch, {400, "InvalidSignatureException"}},
    {S3Error::RequestTimeTooSkewed, {400, "InvalidSignatureException"}},
    {S3Error::AccessDenied, {400, "InvalidSignatureException"}},
    {S3Error::XAmzContentSHA256Mismatch, {400, "InvalidSignatureException"}},
    {S3Error::NotImplemented, {400, "IncompleteSignature"}},
    {S3Error::AccessDenied, {400, "IncompleteSignature"}},
};

// What the client claims: who signed, for which scope and time, over which headers.
struct Claim {
    std::string access_key_id;
    SigV4Scope scope;
    std::string amz_date;
    std::vector<std::string> signed_headers;
    std::string signature;
    std::optional<int64_t> expires_s;  // presigned URLs only
};

class Verifier {
public:
    Verifier(const HttpRequestView& request, ServiceFamily family) : request_(request), family_(family) {}

    VerifiedIdentity run(const SecretLookup& secret_for, int64_t now) {
        const auto authorization = header_value(request_.headers, "authorization");
        const Params query = decoded_params(request_.raw_query);
        presigned_ = param(query, "X-Amz-Algorithm").has_value();
        if (authorization && presigned_)
            fail(Fault::InvalidRequest,
                 "Only one auth mechanism allowed: the Authorization header or X-Amz-* query parameters");
        if (!authorization && param(query, "AWSAccessKeyId")) fail(Fault::InvalidRequest, kOnlySigV4);
        if (!authorization && !presigned_)
            fail(Fault::Missing,
                 "The request is not signed (no AWS4-HMAC-SHA256 Authorization header or presigned URL)");
        const Claim claim = presigned_ ? from_query(query) : from_header(*authorization);
        const auto secret = secret_for(claim.access_key_id);
        if (!secret) fail(Fault::UnknownKey, "The AWS access key id '" + claim.access_key_id + "' does not exist");
        check_time(claim, now);
        check_signature(claim, *secret);
        check_all_signed(claim);
        return {claim.access_key_id, claim.scope};
    }

private:
    [[noreturn]] void fail(Fault fault, const std::string& message) const {
        const FaultCodes& codes = kErrorCodes[int(fault)];
        if (family_ == ServiceFamily::S3) {
            const S3Error e = fault == Fault::Malformed && presigned_ ? S3Error::AuthorizationQueryParametersError : codes.s3;
            throw AuthError(http_status(e), std::string(code_name(e)), message);
        }
        throw AuthError(codes.json.status, codes.json.code, message);
    }

    Claim from_header(std::string_view authorization) const {
        if (authorization.substr(0, kAlgorithm.size() + 1) != std::string(kAlgorithm) + " ")
            fail(Fault::InvalidRequest, kOnlySigV4);
        Params fields;  // "Credential=..., SignedHeaders=..., Signature=..."; some clients omit the spaces
        for (std::string_view field : split(authorization.substr(kAlgorithm.size() + 1), ',')) {
            field = trim(field);
            const size_t eq = field.find('=');
            if (eq != std::string_view::npos) fields.emplace_back(field.substr(0, eq), field.substr(eq + 1));
        }
        const auto x_amz_date = header_value(request_.headers, "x-amz-date");
        if (!x_amz_date) fail(Fault::Malformed, "Signed requests need an X-Amz-Date header");
        return make_claim(require(fields, "Credential", "Authorization header"),
                          require(fields, "SignedHeaders", "Authorization header"),
                          require(fields, "Signature", "Authorization header"), *x_amz_date);
    }

    Claim from_query(const Params& query) const {
        if (param(query, "X-Amz-Algorithm") != kAlgorithm)
            fail(Fault::Malformed, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        const std::string what = "presigned URL";
        Claim c = make_claim(require(query, "X-Amz-Credential", what), require(query, "X-Amz-SignedHeaders", what),
                             require(query, "X-Amz-Signature", what), require(query, "X-Amz-Date", what));
        const auto expires = digits(require(query, "X-Amz-Expires", what));
        if (!expires || *expires < 1 || *expires > kMaxPresignedExpirySeconds)
            fail(Fault::Malformed, "X-Amz-Expires must be a number of seconds from 1 to 604800");
        c.expires_s = *expires;
        return c;
    }

    std::string require(const Params& fields, std::string_view name, const std::string& where) const {
        auto value = param(fields, name);
        if (!value || value->empty())
            fail(Fault::Malformed, where + " requires a '" + std::string(name) + "' parameter");
        return *value;
    }

    // Credential is "<access key id>/<yyyymmdd>/<region>/<service>/aws4_request".
    Claim make_claim(std::string_view credential, std::string_view signed_headers, std::string signature,
                     std::string amz_date) const {
        const auto parts = split(credential, '/');
        if (parts.size() != 5 || parts[4] != kTerminator || parts[0].empty())
            fail(Fault::Malformed, "Credential '" + std::string(credential) +
                                       "' is not of the form <key id>/<yyyymmdd>/<region>/<service>/aws4_request");
        Claim c;
        c.access_key_id = parts[0];
        c.scope = {std::string(parts[1]), std::string(parts[2]), std::string(parts[3])};
        c.amz_date = std::move(amz_date);
        c.signature = std::move(signature);
        for (std::string_view name : split(signed_headers, ';')) c.signed_headers.push_back(ascii_lowercase(name));
        if (std::find(c.signed_headers.begin(), c.signed_headers.end(), "host") == c.signed_headers.end())
            fail(Fault::Malformed, "SignedHeaders must include host (it is '" + std::string(signed_headers) + "')");
        return c;
    }

    void check_time(const Claim& claim, int64_t now) const {
        const auto signed_at = parse_amz_date(claim.amz_date);
        if (!signed_at)
            fail(Fault::Malformed, "X-Amz-Date '" + claim.amz_date + "' is not of the form yyyymmddThhmmssZ");
        if (claim.scope.date != claim.amz_date.substr(0, 8))
            fail(Fault::Malformed,
                 "The credential date " + claim.scope.date + " is not the date of X-Amz-Date " + claim.amz_date);
        const std::string times = " (signed at " + claim.amz_date + ", server time " + amz_date(now) + ")";
        if (presigned_ && now < *signed_at - kMaxClockSkewSeconds)
            fail(Fault::Expired, "Request is not valid yet" + times);
        if (presigned_ && now > *signed_at + *claim.expires_s)
            fail(Fault::Expired,
                 "Request has expired: it was valid for " + std::to_string(*claim.expires_s) + " seconds" + times);
        if (!presigned_ && std::abs(now - *signed_at) > kMaxClockSkewSeconds)
            fail(Fault::Skewed, "The request time and the server's time are more than 15 minutes apart" + times);
    }

    // The canonical request's last line. S3 takes it from x-amz-content-sha256; other services
    // sign the body's hash unless the client chose to send that header too.
    std::string payload_hash() const {
        const auto declared = header_value(request_.headers, "x-amz-content-sha256");
        if (!declared) {
            if (family_ == ServiceFamily::Json) return request_.payload_sha256_hex;
            if (presigned_) return std::string(kUnsignedPayload);
            fail(Fault::InvalidRequest, "Missing required header for this request: x-amz-content-sha256");
        }
        if (*declared == kUnsignedPayload) {
            if (family_ == ServiceFamily::S3) return *declared;
            fail(Fault::InvalidRequest, "UNSIGNED-PAYLOAD is only accepted by S3");
        }
        if (declared->starts_with("STREAMING-"))
            fail(Fault::Streaming, "x-amz-content-sha256 " + *declared +
                                       " (chunked upload signing) is not supported; "
                                       "send the payload's sha256 or UNSIGNED-PAYLOAD");
        if (!is_sha256_hex(*declared))
            fail(Fault::InvalidRequest, "x-amz-content-sha256 must be 64 lowercase hex digits or UNSIGNED-PAYLOAD");
        if (*declared != request_.payload_sha256_hex)
            fail(Fault::BodyMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed");
        return *declared;
    }

    void check_signature(const Claim& claim, const std::string& secret) const {
        const std::string payload = payload_hash();
        for (const auto& name : claim.signed_headers)
            if (!header_value(request_.headers, name))
                fail(Fault::BadSignature, "The signed header '" + name + "' is not in the request");
        const std::string request = canonical_request(
            request_.method, canonical_uri(request_.raw_path, family_), canonical_query(request_.raw_query, presigned_),
            canonical_headers(request_.headers, claim.signed_headers), join(claim.signed_headers, ';'), payload);
        const std::string expected =
            signature_hex(secret, claim.scope, string_to_sign(claim.amz_date, claim.scope, request));
        // Constant time, so response timing cannot reveal how much of a forged signature is right.
        if (claim.signature.size() != expected.size() ||
            CRYPTO_memcmp(claim.signature.data(), expected.data(), expected.size()) != 0)
            fail(Fault::BadSignature,
                 "The request signature we calculated does not match the signature you provided. "
                 "Check your key and signing method.");
    }

    // A valid signature covers only the headers it names; anything else could have been added on
    // the way (a proxy, a man in the middle), so the headers that change what a request does must
    // be among them: every x-amz-* (x-amz-copy-source, x-amz-acl, x-amz-meta-*...) and, signed
    // in a header, Content-Type and, for S3, Content-MD5. A presigned URL signs only what its
    // creator knew: its x-amz-* headers still must be signed, but a browser's Content-Type need not.
    bool must_be_signed(const std::string& name) const {
        if (name.starts_with("x-amz-")) return true;
        if (presigned_) return false;
        return name == "content-type" || (family_ == ServiceFamily::S3 && name == "content-md5");
    }

    void check_all_signed(const Claim& claim) const {
        std::vector<std::string> unsigned_names;
        for (const auto& header : request_.headers) {
            const std::string name = ascii_lowercase(trim(header.first));
            if (!must_be_signed(name)) continue;
            const auto listed = [&](const std::vector<std::string>& names) {
                return std::find(names.begin(), names.end(), name) != names.end();
            };
            if (!listed(claim.signed_headers) && !listed(unsigned_names)) unsigned_names.push_back(name);
        }
        if (!unsigned_names.empty())
            fail(Fault::UnsignedHeaders,
                 "There were headers present in the request which were not signed: " + join(unsigned_names, ','));
    }

    const HttpRequestView& request_;
    ServiceFamily family_;
    bool presigned_ = false;
};

}  // namespace

std::string SigV4Scope::str() const { return date + "/" + region + "/" + service + "/" + std::string(kTerminator); }

VerifiedIdentity verify_sigv4(const HttpRequestView& request, const SecretLookup& secret_for, int64_t now_unix_s,
                              ServiceFamily family) {
    return Verifier(request, family).run(secret_for, now_unix_s);
}

HeaderList sign_request(const HttpRequestView& request, const std::string& access_key_id, const std::string& secret,
                        const SigV4Scope& scope, const std::string& amz_date) {
    if (amz_date.substr(0, 8) != scope.date)
        throw Error("sign_request: scope date " + scope.date + " is not the date of " + amz_date);
    const bool s3 = scope.service == "s3";
    HeaderList added{{"X-Amz-Date", amz_date}};
    if (s3) added.emplace_back("x-amz-content-sha256", request.payload_sha256_hex);

    // A retried request may still carry the headers signing sets; stale copies must not be signed.
    const auto replaced = [&](const std::string& name) {
        return iequals(name, "authorization") ||
               std::any_of(added.begin(), added.end(), [&](const auto& header) { return iequals(header.first, name); });
    };
    HeaderList headers = added;
    for (const auto& header : request.headers)
        if (!replaced(header.first)) headers.push_back(header);
    std::vector<std::string> names;
    for (const auto& header : headers) names.push_back(ascii_lowercase(header.first));
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    if (!std::binary_search(names.begin(), names.end(), "host"))
        throw Error("sign_request: the request has no Host header");

    const std::string signed_headers = join(names, ';');
    const std::string request_text =
        canonical_request(request.method, canonical_uri(request.raw_path, s3 ? ServiceFamily::S3 : ServiceFamily::Json),
                          canonical_query(request.raw_query), canonical_headers(headers, names), signed_headers,
                          request.payload_sha256_hex);
    added.emplace_back("Authorization",
                       std::string(kAlgorithm) + " Credential=" + access_key_id + "/" + scope.str() +
                           ", SignedHeaders=" + signed_headers + ", Signature=" +
                           signature_hex(secret, scope, string_to_sign(amz_date, scope, request_text)));
    return added;
}

std::string amz_date(int64_t unix_s) {
    using namespace std::chrono;
    const sys_seconds time{seconds(unix_s)};
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    char out[32];  // 17 for any year up to 9999; room to spare keeps -Wformat-truncation quiet
    std::snprintf(out, sizeof out, "%04d%02u%02uT%02d%02d%02dZ", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()), int(clock.hours().count()), int(clock.minutes().count()),
                  int(clock.seconds().count()));
    return out;
}

std::string uri_encode(std::string_view text, bool encode_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved || (c == '/' && !encode_slash)) {
            out += char(c);
        } else {
            out += '%';
            out += kDigits[c >> 4];
            out += kDigits[c & 15];
        }
    }
    return out;
}

std::string canonical_uri(std::string_view raw_path, ServiceFamily family) {
    if (raw_path.empty()) return "/";
    if (family == ServiceFamily::S3) return std::string(raw_path);
    return uri_encode(remove_dot_segments(raw_path), false);
}

std::string canonical_query(std::string_view raw_query, bool drop_signature) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto& [name, value] : decoded_params(raw_query))
        if (!(drop_signature && name == "X-Amz-Signature"))
            encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) out += (out.empty() ? "" : "&") + name + "=" + value;
    return out;
}

std::string canonical_headers(const HeaderList& headers, const std::vector<std::string>& signed_names) {
    std::string out;
    for (const auto& name : signed_names) out += name + ":" + header_value(headers, name).value_or("") + "\n";
    return out;
}

std::string canonical_request(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                              std::string_view canonical_headers, std::string_view signed_headers,
                              std::string_view payload_hash) {
    std::string out;
    for (std::string_view part : {method, canonical_uri, canonical_query, canonical_headers, signed_headers})
        out.append(part).append("\n");
    return out.append(payload_hash);
}

std::string string_to_sign(std::string_view amz_date, const SigV4Scope& scope, std::string_view canonical_request) {
    return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + scope.str() + "\n" +
           sha256_hex(canonical_request);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (!HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
              data.size(), out, &len))
        throw Error("OpenSSL HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(out), len);
}

std::string signing_key(std::string_view secret, const SigV4Scope& scope) {
    std::string key = hmac_sha256("AWS4" + std::string(secret), scope.date);
    for (std::string_view part : {std::string_view(scope.region), std::string_view(scope.service), kTerminator})
        key = hmac_sha256(key, part);
    return key;
}

std::string signature_hex(std::string_view secret, const SigV4Scope& scope, std::string_view string_to_sign) {
    return to_hex(hmac_sha256(signing_key(secret, scope), string_to_sign));
}

}  // namespace apiary::service
