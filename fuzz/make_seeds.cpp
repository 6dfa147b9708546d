// Writes the generated seeds of the fuzz corpora: requests signed by Apiary's own SigV4 code
// (so they verify against sigv4_fuzz's fixed key and clock) and small images encoded by
// OpenCV's libjpeg/libpng in the shapes the probe and the scan walk meet in real datasets.
// The hand-written seeds (manifests, XML, JSON) live beside them in fuzz/corpus/.
//
//   build-fuzz/fuzz/fuzz_make_seeds fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "request_text.h"

namespace {

namespace fs = std::filesystem;
using apiary::service::HttpRequestView;
using apiary::service::SigV4Scope;

constexpr const char* kAccessKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kAmzDate = "20150830T123600Z";  // sigv4_fuzz's clock

void write(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    std::cout << p.string() << " (" << bytes.size() << " bytes)\n";
}

std::string header_signed(HttpRequestView r, const std::string& body, const std::string& service) {
    r.payload_sha256_hex = apiary::sha256_hex(body);
    for (auto& h :
         apiary::service::sign_request(r, kAccessKey, kSecret, SigV4Scope{"20150830", "us-east-1", service}, kAmzDate))
        r.headers.push_back(std::move(h));
    return apiary::fuzz::request_text(r, body);
}

// A presigned GET, built from the same building blocks the verifier uses.
std::string presigned(const std::string& path, const std::string& host) {
    using namespace apiary::service;
    const SigV4Scope scope{"20150830", "us-east-1", "s3"};
    const std::string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" +
                              uri_encode(std::string(kAccessKey) + "/" + scope.str(), true) +
                              "&X-Amz-Date=" + kAmzDate + "&X-Amz-Expires=3600&X-Amz-SignedHeaders=host";
    const HeaderList headers{{"Host", host}};
    const std::string creq = canonical_request("GET", canonical_uri(path, ServiceFamily::S3), canonical_query(query),
                                               canonical_headers(headers, {"host"}), "host", kUnsignedPayload);
    const std::string sig = signature_hex(kSecret, scope, string_to_sign(kAmzDate, scope, creq));
    HttpRequestView r{"GET", path, query + "&X-Amz-Signature=" + sig, headers, ""};
    return apiary::fuzz::request_text(r, "");
}

void sigv4_seeds(const fs::path& dir) {
    const std::string host = "127.0.0.1:8080";
    write(dir / "s3_get_object.txt",
          header_signed({"GET", "/bees/images/a%20b.jpg", "", {{"Host", host}}, ""}, "", "s3"));
    write(dir / "s3_put_object.txt",
          header_signed({"PUT",
                         "/bees/images/1.jpg",
                         "",
                         {{"Host", host}, {"Content-Type", "image/jpeg"}, {"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="}},
                         ""},
                        "not really a jpeg", "s3"));
    write(dir / "s3_list_v2.txt",
          header_signed(
              {"GET", "/bees", "list-type=2&prefix=images%2F&max-keys=10&encoding-type=url", {{"Host", host}}, ""}, "",
              "s3"));
    write(dir / "s3_delete_objects.txt",
          header_signed({"POST", "/bees", "delete", {{"Host", host}, {"Content-Type", "application/xml"}}, ""},
                        "<Delete><Object><Key>a.jpg</Key></Object></Delete>", "s3"));
    write(dir / "s3_presigned_get.txt", presigned("/bees/images/1.jpg", host));
    write(dir / "json_describe_projects.txt", header_signed({"POST",
                                                             "/",
                                                             "",
                                                             {{"Host", host},
                                                              {"Content-Type", "application/x-amz-json-1.1"},
                                                              {"X-Amz-Target", "RekognitionService.DescribeProjects"}},
                                                             ""},
                                                            R"({"MaxResults":10})", "rekognition"));
}

std::string encode(const std::string& ext, const cv::Mat& img, const std::vector<int>& params = {}) {
    std::vector<uchar> buf;
    cv::imencode(ext, img, buf, params);
    return {buf.begin(), buf.end()};
}

// An APP1 Exif block (little-endian TIFF, one IFD entry: orientation) right after SOI.
std::string with_exif_orientation(const std::string& jpeg, int orientation) {
    const std::string tiff = std::string("II\x2A\x00\x08\x00\x00\x00", 8) + std::string("\x01\x00", 2) +
                             std::string("\x12\x01\x03\x00\x01\x00\x00\x00", 8) + static_cast<char>(orientation) +
                             std::string("\x00\x00\x00", 3) + std::string(4, '\0');
    const std::string payload = std::string("Exif\0\0", 6) + tiff;
    const size_t len = payload.size() + 2;
    const std::string app1 =
        std::string("\xFF\xE1", 2) + static_cast<char>(len >> 8) + static_cast<char>(len & 0xFF) + payload;
    return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

void image_seeds(const fs::path& probe_dir, const fs::path& scan_dir) {
    cv::Mat img(48, 64, CV_8UC3);
    cv::randu(img, cv::Scalar::all(0), cv::Scalar::all(255));
    cv::GaussianBlur(img, img, cv::Size(5, 5), 0);
    cv::Mat gray;
    cv::cvtColor(img, gray, cv::COLOR_BGR2GRAY);
    const std::string baseline = encode(".jpg", img, {cv::IMWRITE_JPEG_QUALITY, 40});
    const std::vector<std::pair<std::string, std::string>> jpegs{
        {"baseline_420.jpg", baseline},
        {"gray.jpg", encode(".jpg", gray, {cv::IMWRITE_JPEG_QUALITY, 40})},
        {"restart_interval.jpg", encode(".jpg", img, {cv::IMWRITE_JPEG_QUALITY, 40, cv::IMWRITE_JPEG_RST_INTERVAL, 2})},
        {"progressive.jpg", encode(".jpg", img, {cv::IMWRITE_JPEG_QUALITY, 40, cv::IMWRITE_JPEG_PROGRESSIVE, 1})},
        {"truncated.jpg", baseline.substr(0, baseline.size() * 2 / 3)},
        {"exif_orientation_6.jpg", with_exif_orientation(baseline, 6)},
    };
    for (const auto& [name, bytes] : jpegs) {
        write(probe_dir / name, bytes);
        write(scan_dir / name, bytes);
    }
    const cv::Mat flat(48, 64, CV_8UC3, cv::Scalar(40, 140, 220));
    write(probe_dir / "small.png", encode(".png", flat));
    write(probe_dir / "truncated.png", encode(".png", img).substr(0, 200));
    write(probe_dir / "header.gif", std::string("GIF89a\x40\x00\x30\x00\x00\x00\x00;", 14));
    write(probe_dir / "header.bmp", encode(".bmp", gray).substr(0, 64));
    write(probe_dir / "header_vp8x.webp",
          std::string("RIFF\x24\x00\x00\x00WEBPVP8X\x0A\x00\x00\x00\x00\x00\x00\x00\x3F\x00\x00\x2F\x00\x00", 30));
    write(probe_dir / "header.tiff", std::string("II\x2A\x00\x08\x00\x00\x00", 8));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: fuzz_make_seeds CORPUS_DIR (fuzz/corpus)\n";
        return 2;
    }
    const fs::path corpus = argv[1];
    sigv4_seeds(corpus / "sigv4");
    image_seeds(corpus / "image_probe", corpus / "jpeg_scan");
    return 0;
}
