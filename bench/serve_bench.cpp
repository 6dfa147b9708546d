// Load test for `apiary serve`: N concurrent clients send signed DetectCustomLabels requests
// (the same image as Image.Bytes) for a fixed time; prints requests/s, latency percentiles,
// errors and the server's memory.
//   build/bench/serve_bench --endpoint http://127.0.0.1:PORT --key ID --secret S --arn VERSION_ARN
//                           --image FILE [--clients 16] [--seconds 60] [--server-pid PID]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "core/arn.h"
#include "core/base64.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/json.h"
#include "service/sigv4.h"

using namespace apiary;
using Clock = std::chrono::steady_clock;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// One kept-alive connection, reopened after a failure.
class Connection {
public:
    Connection(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)) {}
    // The response's status and body; status 0 and the error's text when the exchange failed.
    std::pair<int, std::string> post(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
        try {
            if (!stream_) {
                stream_.emplace(ioc_);
                stream_->connect(net::ip::tcp::resolver(ioc_).resolve(host_, port_));
            }
            http::request<http::string_body> req{http::verb::post, "/", 11};
            for (const auto& [k, v] : headers) req.set(k, v);
            req.body() = body;
            req.prepare_payload();
            http::write(*stream_, req);
            beast::flat_buffer buffer;
            http::response<http::string_body> res;
            http::read(*stream_, buffer, res);
            if (!res.keep_alive()) stream_.reset();
            return {static_cast<int>(res.result_int()), res.body()};
        } catch (const std::exception& e) {
            stream_.reset();
            return {0, e.what()};
        }
    }

private:
    net::io_context ioc_;
    std::string host_, port_;
    std::optional<beast::tcp_stream> stream_;
};

// VmHWM / VmRSS of a process, in MB (0 when unreadable).
std::pair<double, double> memory_mb(const std::string& pid) {
    std::ifstream status("/proc/" + pid + "/status");
    double hwm = 0, rss = 0;
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmHWM:")) hwm = std::stod(line.substr(6)) / 1024;
        if (line.starts_with("VmRSS:")) rss = std::stod(line.substr(6)) / 1024;
    }
    return {hwm, rss};
}

}  // namespace

int main(int argc, char** argv) {
    std::string endpoint, key, secret, arn, image, pid;
    int clients = 16, seconds = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--endpoint") endpoint = v;
        if (a == "--key") key = v;
        if (a == "--secret") secret = v;
        if (a == "--arn") arn = v;
        if (a == "--image") image = v;
        if (a == "--clients") clients = std::stoi(v);
        if (a == "--seconds") seconds = std::stoi(v);
        if (a == "--server-pid") pid = v;
    }
    if (endpoint.empty() || arn.empty() || image.empty()) {
        std::cerr << "usage: serve_bench --endpoint URL --key ID --secret S --arn ARN --image FILE "
                     "[--clients 16] [--seconds 60] [--server-pid PID]\n";
        return 2;
    }
    const std::string host = endpoint.substr(endpoint.find("//") + 2);
    const std::string host_name = host.substr(0, host.rfind(':')), port = host.substr(host.rfind(':') + 1);
    const std::string body = Json{{"ProjectVersionArn", arn}, {"Image", {{"Bytes", base64_encode(read_file(image))}}}}.dump();
    const std::string body_sha = sha256_hex(body);

    std::mutex mutex;
    std::vector<double> latencies;
    std::atomic<int64_t> errors{0};
    std::string first_error;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            Connection connection(host_name, port);
            std::vector<double> mine;
            while (Clock::now() < deadline) {
                service::HttpRequestView view{"POST", "/", "", {{"Host", host},
                                                               {"Content-Type", "application/x-amz-json-1.1"},
                                                               {"X-Amz-Target", "RekognitionService.DetectCustomLabels"}},
                                              body_sha};
                const std::string date = service::amz_date(now_ms() / 1000);
                const auto signed_headers =
                    service::sign_request(view, key, secret, {date.substr(0, 8), "us-east-1", "rekognition"}, date);
                auto headers = view.headers;
                headers.insert(headers.end(), signed_headers.begin(), signed_headers.end());
                const auto t = Clock::now();
                const auto [status, text] = connection.post(headers, body);
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
                if (status != 200) {
                    ++errors;
                    std::lock_guard lock(mutex);
                    if (first_error.empty()) first_error = std::to_string(status) + " " + text;
                    continue;
                }
                mine.push_back(ms);
            }
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
        });
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies.begin(), latencies.end());
    auto pct = [&](double p) {
        return latencies.empty() ? 0.0 : latencies[std::min(latencies.size() - 1, static_cast<size_t>(p * latencies.size()))];
    };
    Json out = {{"clients", clients},
                {"seconds", elapsed},
                {"requests", latencies.size()},
                {"requests_per_s", static_cast<double>(latencies.size()) / elapsed},
                {"p50_ms", pct(0.50)},
                {"p99_ms", pct(0.99)},
                {"max_ms", latencies.empty() ? 0.0 : latencies.back()},
                {"errors", errors.load()}};
    if (!first_error.empty()) out["first_error"] = first_error.substr(0, 300);
    if (!pid.empty()) {
        const auto [hwm, rss] = memory_mb(pid);
        out["server_peak_rss_mb"] = hwm;
        out["server_rss_mb"] = rss;
    }
    std::cout << out.dump(2) << "\n";
    return errors > 0 ? 1 : 0;
}
