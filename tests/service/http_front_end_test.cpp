// The Beast front end on real sockets (127.0.0.1), with a handler that records what reached it:
// limits, deadlines and caps must act before the handler sees a body.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "service/http_front_end.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Plans by path: /memory (10-byte limit), /file (staged, 1 MB), /refuse, /slow (handler sleeps),
// /stream (a streamed 200,000-byte answer); anything else takes no body.
class RecordingHandler : public RequestHandler {
public:
    explicit RecordingHandler(fs::path dir) : dir_(std::move(dir)) {}

    std::optional<BodyPlan> plan(const HttpRequest& head, HttpResponse& refusal) override {
        ++planned;
        if (head.path == "/refuse") {
            refusal.status = 403;
            refusal.set_content("no", "text/plain");
            return std::nullopt;
        }
        if (head.path == "/memory") return BodyPlan{BodyPlan::Kind::Memory, 10, {}};
        if (head.path == "/file") return BodyPlan{BodyPlan::Kind::File, 1 << 20, dir_ / ("staged-" + std::to_string(++files))};
        return BodyPlan{};
    }

    void handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) override {
        ++handled;
        {
            std::lock_guard lock(mutex);
            last_body = body.staged ? "file:" + std::to_string(body.staged->size) + ":" + body.staged->md5_hex : body.text;
        }
        if (request.path == "/slow") std::this_thread::sleep_for(500ms);
        if (request.path == "/stream") {
            auto sent = std::make_shared<int64_t>(0);
            response.stream = StreamedBody{200000, [sent](char* buffer, size_t max) {
                                               const size_t n = std::min<size_t>(max, 200000 - *sent);
                                               std::fill(buffer, buffer + n, 'x');
                                               *sent += static_cast<int64_t>(n);
                                               return n;
                                           }};
            return;
        }
        if (request.method == "HEAD") {
            response.head_content_length = 1234;
            return;
        }
        response.set_content("ok " + request.path, "text/plain");
    }

    HttpResponse fault_response(TransportFault fault, const HttpRequest*, const std::string& detail) override {
        HttpResponse r;
        r.status = fault == TransportFault::HeaderTooLarge   ? 431
                   : fault == TransportFault::BodyTooLarge   ? 413
                   : fault == TransportFault::Overloaded     ? 503
                   : fault == TransportFault::UnexpectedBody ? 400
                   : fault == TransportFault::MalformedRequest ? 400
                                                             : 500;
        r.set_content(detail, "text/plain");
        return r;
    }

    std::atomic<int> planned{0}, handled{0}, files{0};
    std::mutex mutex;
    std::string last_body;

private:
    fs::path dir_;
};

// A blocking client socket with a receive timeout.
class Client {
public:
    explicit Client(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        timeval tv{5, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { ::close(fd_); }
    bool connected() const { return connected_; }
    bool send(const std::string& s) { return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()); }
    // Reads until the peer closes or `until` appears in what was read (then a little more for the body).
    std::string read(const std::string& until = "", std::chrono::milliseconds limit = 5000ms) {
        std::string got;
        const auto end = std::chrono::steady_clock::now() + limit;
        char buf[65536];
        while (std::chrono::steady_clock::now() < end) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                if (!until.empty() && got.find(until) != std::string::npos) break;
                continue;
            }
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            got.append(buf, static_cast<size_t>(n));
        }
        return got;
    }
    bool closed() const { return closed_; }

private:
    int fd_;
    bool connected_ = false;
    bool closed_ = false;
};

class FrontEndTest : public ::testing::Test {
protected:
    void start(FrontEndLimits limits = {}) {
        FrontEndOptions o;
        o.port = 0;
        o.handler_threads = 4;
        o.limits = limits;
        front_ = std::make_unique<HttpFrontEnd>(o, handler_);
        port_ = front_->bind();
        thread_ = std::thread([this] { front_->run(); });
    }
    void TearDown() override {
        if (front_) front_->stop();
        if (thread_.joinable()) thread_.join();
    }
    size_t staged_files() const { return test::entries_in(dir_.path()); }

    test::TempDir dir_;
    RecordingHandler handler_{dir_.path()};
    std::unique_ptr<HttpFrontEnd> front_;
    std::thread thread_;
    int port_ = 0;
};

TEST_F(FrontEndTest, AnswersSeveralRequestsOnOneKeptAliveConnection) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(c.read("ok /a").find("ok /a"), std::string::npos);
    ASSERT_TRUE(c.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_NE(c.read("ok /b").find("HTTP/1.1 200"), std::string::npos);
    EXPECT_EQ(handler_.handled, 2);
}

TEST_F(FrontEndTest, RefusesAnOversizedHeaderBlockAndTooManyFields) {
    start();
    Client big(port_);
    big.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_NE(big.read().find("HTTP/1.1 431"), std::string::npos);
    EXPECT_TRUE(big.closed());

    Client many(port_);
    std::string req = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 101; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
    many.send(req + "\r\n");
    EXPECT_NE(many.read().find("HTTP/1.1 431"), std::string::npos);
    EXPECT_EQ(handler_.planned, 0);
}

TEST_F(FrontEndTest, RefusesMalformedFramingBeforeTheHandler) {
    start();
    for (const std::string bad : {"PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                                  "PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                                  "GET / HTTP/1.1\r\nHost: x\r\nX-Bare: a\rb\r\n\r\n",
                                  "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
        Client c(port_);
        c.send(bad);
        const std::string answer = c.read();
        EXPECT_NE(answer.find("HTTP/1.1 400"), std::string::npos) << bad << " got: " << answer;
        EXPECT_TRUE(c.closed()) << bad;
    }
    EXPECT_EQ(handler_.planned, 0);
}

TEST_F(FrontEndTest, RefusesABodyWhereThePlanTakesNoneWithoutHandlingIt) {
    start();
    Client c(port_);
    c.send("DELETE /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    EXPECT_NE(c.read().find("HTTP/1.1 400"), std::string::npos);
    EXPECT_EQ(handler_.handled, 0);
}

TEST_F(FrontEndTest, RefusesAnOverLimitBodyBeforeReadingIt) {
    start();
    Client declared(port_);
    declared.send("POST /memory HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n");
    EXPECT_NE(declared.read().find("HTTP/1.1 413"), std::string::npos);

    Client chunked(port_);  // no length declared: counted as it arrives
    chunked.send("POST /memory HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n");
    EXPECT_NE(chunked.read().find("HTTP/1.1 413"), std::string::npos);
    EXPECT_EQ(handler_.handled, 0);

    Client fits(port_);
    fits.send("POST /memory HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
    EXPECT_NE(fits.read("ok /memory").find("HTTP/1.1 200"), std::string::npos);
    std::lock_guard lock(handler_.mutex);
    EXPECT_EQ(handler_.last_body, "abcdefg");
}

TEST_F(FrontEndTest, ARefusedPlanLeavesTheBodyUnreadAndClosesTheConnection) {
    start();
    Client c(port_);
    c.send("PUT /refuse HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
    const std::string answer = c.read();
    EXPECT_NE(answer.find("HTTP/1.1 403"), std::string::npos);
    EXPECT_TRUE(c.closed());
    EXPECT_EQ(handler_.handled, 0);
}

TEST_F(FrontEndTest, StagesAFileBodyWithItsDigestsAndDropsATruncatedOne) {
    start();
    {
        Client c(port_);
        c.send("PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        EXPECT_NE(c.read("ok /file").find("HTTP/1.1 200"), std::string::npos);
        std::lock_guard lock(handler_.mutex);
        EXPECT_EQ(handler_.last_body, "file:5:5d41402abc4b2a76b9719d911017c592");
    }
    {
        Client cut(port_);
        cut.send("PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(1000, 'a'));
        std::this_thread::sleep_for(100ms);
    }  // disconnects mid-body
    for (int i = 0; i < 50 && staged_files() > 0; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(handler_.handled, 1);
    EXPECT_EQ(staged_files(), 0u);  // the handled one was the handler's to keep; the cut one is gone
}

TEST_F(FrontEndTest, SendsContinueWhenTheClientWaitsForIt) {
    start();
    Client c(port_);
    c.send("PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_NE(c.read("100 Continue", 2000ms).find("HTTP/1.1 100 Continue"), std::string::npos);
    c.send("abc");
    EXPECT_NE(c.read("ok /file").find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(FrontEndTest, StreamsALargeBodyAndAnswersHeadWithTheLengthOnly) {
    start();
    Client c(port_);
    c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string got = c.read(std::string(100, 'x'), 3000ms);
    EXPECT_NE(got.find("Content-Length: 200000"), std::string::npos);
    EXPECT_EQ(got.size() - got.find("\r\n\r\n") - 4, 200000u);

    Client h(port_);
    h.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /y HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string both = h.read("ok /y");
    EXPECT_NE(both.find("Content-Length: 1234"), std::string::npos);
    EXPECT_NE(both.find("ok /y"), std::string::npos);  // no body after the HEAD answer
}

TEST_F(FrontEndTest, ClosesAConnectionWhoseHeaderDoesNotArriveInTime) {
    FrontEndLimits limits;
    limits.header_timeout_s = 0.5;
    start(limits);
    Client slow(port_);
    slow.send("GET / HTTP/1.1\r\nHost: x\r\n");
    const auto t = std::chrono::steady_clock::now();
    slow.read("", 3000ms);
    EXPECT_TRUE(slow.closed());
    EXPECT_LT(std::chrono::steady_clock::now() - t, 2000ms);
    EXPECT_EQ(handler_.planned, 0);
}

TEST_F(FrontEndTest, ClosesABodyThatFallsBelowTheMinimumRate) {
    FrontEndLimits limits;
    limits.body_grace_s = 0.3;
    limits.min_body_rate = 1000;
    start(limits);
    Client c(port_);
    c.send("PUT /file HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    for (int i = 0; i < 10 && !c.closed(); ++i) {
        c.send("a");
        c.read("", 100ms);
    }
    c.read("", 2000ms);
    EXPECT_TRUE(c.closed());
    EXPECT_EQ(handler_.handled, 0);
}

TEST_F(FrontEndTest, AnswersSlowDownBeyondTheConnectionCaps) {
    FrontEndLimits limits;
    limits.max_connections_per_client = 2;
    start(limits);
    Client a(port_), b(port_);
    std::this_thread::sleep_for(100ms);
    Client c(port_);
    EXPECT_NE(c.read().find("HTTP/1.1 503"), std::string::npos);
    // The admitted ones still work, and a freed slot is usable again.
    a.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(a.read().find("ok /a"), std::string::npos);
    for (int i = 0; i < 50 && front_->open_connections() > 1; ++i) std::this_thread::sleep_for(20ms);
    Client d(port_);
    d.send("GET /d HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(d.read("ok /d").find("ok /d"), std::string::npos);
}

TEST_F(FrontEndTest, StopLetsARequestInFlightFinish) {
    start();
    Client idle(port_);
    Client busy(port_);
    busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(150ms);
    front_->stop();
    EXPECT_NE(busy.read("ok /slow").find("ok /slow"), std::string::npos);
    idle.read("", 2000ms);
    EXPECT_TRUE(idle.closed());
    thread_.join();
}

}  // namespace
}  // namespace apiary::service

namespace apiary::service {
namespace {

// ---- TLS --------------------------------------------------------------------------------------

// A self-signed certificate for 127.0.0.1, written as PEM files.
void write_self_signed(const fs::path& cert_file, const fs::path& key_file) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    FILE* c = std::fopen(cert_file.c_str(), "w");
    PEM_write_X509(c, cert);
    std::fclose(c);
    FILE* k = std::fopen(key_file.c_str(), "w");
    PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(k);
    X509_free(cert);
    EVP_PKEY_free(key);
}

TEST(FrontEndTls, ServesHttpsAndNothingInPlainText) {
    test::TempDir dir;
    write_self_signed(dir / "cert.pem", dir / "key.pem");
    RecordingHandler handler(dir.path());
    FrontEndOptions o;
    o.port = 0;
    o.tls_cert = dir / "cert.pem";
    o.tls_key = dir / "key.pem";
    o.limits.header_timeout_s = 1;
    HttpFrontEnd front(o, handler);
    const int port = front.bind();
    std::thread server([&] { front.run(); });

    namespace net = boost::asio;
    namespace beast = boost::beast;
    namespace http = beast::http;
    net::io_context ioc;
    net::ssl::context ctx(net::ssl::context::tls_client);
    ctx.set_verify_mode(net::ssl::verify_none);  // self-signed; the point is the encrypted channel
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    beast::get_lowest_layer(stream).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)));
    stream.handshake(net::ssl::stream_base::client);
    http::request<http::empty_body> req{http::verb::get, "/over-tls", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "ok /over-tls");

    Client plain(port);  // an HTTP request to the HTTPS port gets no HTTP answer
    plain.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(plain.read("", 3000ms).find("HTTP/1.1 200"), std::string::npos);
    EXPECT_EQ(handler.handled, 1);

    front.stop();
    server.join();
}

TEST(FrontEndTls, RefusesACertificateWithoutItsKey) {
    test::TempDir dir;
    RecordingHandler handler(dir.path());
    FrontEndOptions o;
    o.tls_cert = dir / "cert.pem";
    EXPECT_THROW(HttpFrontEnd(o, handler), Error);
    o.tls_key = dir / "missing.pem";
    try {
        HttpFrontEnd front(o, handler);
        FAIL() << "a missing certificate file was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cert.pem"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace apiary::service
