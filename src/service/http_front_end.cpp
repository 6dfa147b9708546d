#include "service/http_front_end.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "core/hash.h"
#include "core/text.h"

namespace apiary::service {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kChunk = 64 * 1024;

std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// A body being streamed into a staging file, digested on the way.
class FileSink {
public:
    explicit FileSink(const std::filesystem::path& path)
        : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) {}
    ~FileSink() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool ok() const { return fd_ >= 0 && !failed_; }
    void write(const char* data, size_t n) {
        md5_.update({data, n});
        sha_.update({data, n});
        size_ += static_cast<int64_t>(n);
        while (n > 0 && !failed_) {
            const ssize_t w = ::write(fd_, data, n);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                failed_ = true;
                break;
            }
            data += w;
            n -= static_cast<size_t>(w);
        }
    }
    StagedBody finish() {
        ::close(fd_);
        fd_ = -1;
        return {path_, size_, md5_.hex(), sha_.hex()};
    }

private:
    std::filesystem::path path_;
    int fd_;
    bool failed_ = false;
    int64_t size_ = 0;
    StreamingDigest md5_ = StreamingDigest::md5();
    StreamingDigest sha_ = StreamingDigest::sha256();
};

// Connections open at once, in all and per client address.
class ConnectionCounter {
public:
    explicit ConnectionCounter(const FrontEndLimits& limits) : limits_(limits) {}
    bool admit(const std::string& client) {
        std::lock_guard lock(mutex_);
        auto& mine = per_client_[client];
        if (total_ >= limits_.max_connections || mine >= limits_.max_connections_per_client) {
            if (mine == 0) per_client_.erase(client);
            return false;
        }
        ++total_;
        ++mine;
        return true;
    }
    void release(const std::string& client) {
        std::lock_guard lock(mutex_);
        --total_;
        if (--per_client_[client] <= 0) per_client_.erase(client);
    }
    int total() const {
        std::lock_guard lock(mutex_);
        return total_;
    }

private:
    const FrontEndLimits& limits_;
    mutable std::mutex mutex_;
    int total_ = 0;
    std::unordered_map<std::string, int> per_client_;
};

class SessionBase {
public:
    virtual ~SessionBase() = default;
    virtual void close_if_idle() = 0;  // called on stop(); posts to the session's strand
};

}  // namespace

struct HttpFrontEnd::Impl : std::enable_shared_from_this<HttpFrontEnd::Impl> {
    Impl(const FrontEndOptions& o, RequestHandler& h)
        : options(o), handler(h), ioc(std::max(1, o.io_threads)), acceptor(net::make_strand(ioc)),
          pool(static_cast<size_t>(std::max(1, o.handler_threads))), connections(options.limits) {}

    void accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    template <class Stream>
    void start_session(Stream&& stream, std::string client, bool admitted);
    void add(const std::shared_ptr<SessionBase>& s) {
        std::lock_guard lock(sessions_mutex);
        sessions[s.get()] = s;
    }
    void remove(SessionBase* s) {
        std::lock_guard lock(sessions_mutex);
        sessions.erase(s);
    }
    void begin_stop();

    FrontEndOptions options;
    RequestHandler& handler;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::thread_pool pool;
    std::optional<ssl::context> tls;
    ConnectionCounter connections;
    std::atomic<bool> stopping{false};
    std::mutex sessions_mutex;
    std::map<SessionBase*, std::weak_ptr<SessionBase>> sessions;
    int port = 0;
};

namespace {

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

// One connection: requests read, planned, received, handled and answered one at a time.
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
public:
    Session(Stream&& stream, std::shared_ptr<HttpFrontEnd::Impl> fe, std::string client, bool admitted)
        : stream_(std::move(stream)), fe_(std::move(fe)), client_(std::move(client)), admitted_(admitted) {}

    ~Session() override {
        drop_staging();
        if (admitted_) fe_->connections.release(client_);
        fe_->remove(this);
    }

    void start() {
        if constexpr (is_tls<Stream>) {
            lowest().expires_after(seconds(fe_->options.limits.header_timeout_s));
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = this->shared_from_this()](beast::error_code ec) {
                                        if (ec) return self->close();
                                        self->after_connect();
                                    });
        } else {
            after_connect();
        }
    }

    void close_if_idle() override {
        net::post(stream_.get_executor(), [self = this->shared_from_this()] {
            // The socket may already be closed (a deadline fired first): never throw from here.
            beast::error_code ignored;
            if (self->waiting_) beast::get_lowest_layer(self->stream_).socket().cancel(ignored);
        });
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
    const FrontEndLimits& limits() const { return fe_->options.limits; }

    void after_connect() {
        if (!admitted_) {
            auto r = fe_->handler.fault_response(TransportFault::Overloaded, nullptr, "too many connections; retry later");
            r.close_connection = true;
            return respond(std::move(r));
        }
        read_header();
    }

    // Waits for the next request on a kept-alive connection: the idle timeout until its first
    // byte, then the header deadline.
    void wait_for_request() {
        if (buffer_.size() > 0) return read_header();
        waiting_ = true;
        if (fe_->stopping) return close();
        lowest().expires_after(seconds(limits().idle_timeout_s));
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                                    self->waiting_ = false;
                                    if (ec) return self->close();
                                    self->buffer_.commit(n);
                                    self->read_header();
                                });
    }

    void read_header() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(limits().header_bytes));
        parser_->body_limit(boost::none);  // the plan decides, per request
        waiting_ = first_request_;
        lowest().expires_after(seconds(limits().header_timeout_s));
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = this->shared_from_this()](beast::error_code ec, size_t) {
                                    self->waiting_ = false;
                                    self->on_header(ec);
                                });
    }

    void on_header(beast::error_code ec) {
        first_request_ = false;
        head_known_ = false;
        if (ec == http::error::header_limit)
            return refuse_and_close(TransportFault::HeaderTooLarge,
                                    "the request header is over " + std::to_string(limits().header_bytes) + " bytes");
        if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == net::error::eof ||
            ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == http::error::partial_message)
            return close();
        if (ec) return refuse_and_close(TransportFault::MalformedRequest, "malformed HTTP request: " + ec.message());
        const auto& msg = parser_->get();
        head_ = HttpRequest::from_target(std::string(msg.method_string()), msg.target());
        size_t fields = 0;
        for (const auto& field : msg) {
            if (++fields > limits().header_fields)
                return refuse_and_close(TransportFault::HeaderTooLarge,
                                        "the request has over " + std::to_string(limits().header_fields) + " header fields");
            head_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        head_.remote_address = client_;
        head_known_ = true;
        head_.tls = is_tls<Stream>;
        keep_alive_ = msg.keep_alive();
        lowest().expires_never();
        // Planning may read the credential store: off the I/O threads.
        net::post(fe_->pool, [self = this->shared_from_this()] {
            HttpResponse refusal;
            std::optional<BodyPlan> plan;
            try {
                plan = self->fe_->handler.plan(self->head_, refusal);
            } catch (const std::exception& e) {
                refusal = self->fe_->handler.fault_response(TransportFault::Internal, &self->head_, e.what());
            }
            net::post(self->stream_.get_executor(),
                      [self, plan = std::move(plan), refusal = std::move(refusal)]() mutable {
                          self->on_plan(std::move(plan), std::move(refusal));
                      });
        });
    }

    bool has_body() const {
        const auto& p = *parser_;
        if (p.chunked()) return true;
        const auto length = p.content_length();
        return length && *length > 0;
    }

    void on_plan(std::optional<BodyPlan> plan, HttpResponse refusal) {
        if (!plan) {
            // The body, if any, stays unread, so the connection cannot carry another request.
            if (has_body()) refusal.close_connection = true;
            return respond(std::move(refusal));
        }
        plan_ = std::move(*plan);
        body_ = ReceivedBody{};
        received_ = 0;
        if (plan_.kind == BodyPlan::Kind::None) {
            if (has_body()) return refuse_and_close(TransportFault::UnexpectedBody, "this request does not take a body");
            return dispatch();
        }
        if (const auto length = parser_->content_length(); length && *length > static_cast<uint64_t>(plan_.limit))
            return refuse_and_close(TransportFault::BodyTooLarge,
                                    "the request body is over " + std::to_string(plan_.limit) + " bytes");
        if (plan_.kind == BodyPlan::Kind::File) {
            sink_.emplace(plan_.staging_file);
            if (!sink_->ok()) {
                sink_.reset();
                return refuse_and_close(TransportFault::Internal, "cannot create a staging file");
            }
        }
        body_start_ = Clock::now();
        if (iequals(head_.header("Expect"), "100-continue")) {
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, parser_->get().version());
            lowest().expires_after(seconds(limits().io_timeout_s));
            return http::async_write(stream_, *cont, [self = this->shared_from_this(), cont](beast::error_code ec, size_t) {
                if (ec) return self->abandon_body();
                self->read_body();
            });
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return finish_body();
        // A body must keep up an average rate once its grace period is over, and no single
        // read may stall past the I/O timeout.
        const auto allowed = seconds(limits().body_grace_s) +
                             seconds(static_cast<double>(received_) / static_cast<double>(std::max<int64_t>(1, limits().min_body_rate)));
        const auto deadline = std::min(body_start_ + allowed, Clock::now() + seconds(limits().io_timeout_s));
        lowest().expires_at(deadline);
        auto& b = parser_->get().body();
        b.data = chunk_.data();
        b.size = chunk_.size();
        http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->on_body(ec);
        });
    }

    void on_body(beast::error_code ec) {
        if (ec == http::error::need_buffer) ec = {};
        const size_t got = chunk_.size() - parser_->get().body().size;
        if (ec) return abandon_body();  // cut short, too slow or malformed: nothing is kept
        received_ += static_cast<int64_t>(got);
        if (received_ > plan_.limit)
            return refuse_and_close(TransportFault::BodyTooLarge,
                                    "the request body is over " + std::to_string(plan_.limit) + " bytes");
        if (plan_.kind == BodyPlan::Kind::File) {
            sink_->write(chunk_.data(), got);
            if (!sink_->ok()) return refuse_and_close(TransportFault::Internal, "cannot write the staging file");
        } else {
            body_.text.append(chunk_.data(), got);
        }
        read_body();
    }

    void finish_body() {
        if (sink_) {
            body_.staged = sink_->finish();
            sink_.reset();
        }
        dispatch();
    }

    void abandon_body() {
        drop_staging();
        close();
    }

    void drop_staging() {
        sink_.reset();
        if (plan_.kind == BodyPlan::Kind::File && !plan_.staging_file.empty()) {
            std::error_code ignored;
            std::filesystem::remove(plan_.staging_file, ignored);
        }
    }

    void dispatch() {
        net::post(fe_->pool, [self = this->shared_from_this()] {
            HttpResponse response;
            try {
                self->fe_->handler.handle(self->head_, self->body_, response);
            } catch (const std::exception& e) {
                response = self->fe_->handler.fault_response(TransportFault::Internal, &self->head_, e.what());
            }
            net::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
                self->drop_staging();  // still there when the operation did not take it
                self->respond(std::move(response));
            });
        });
    }

    void refuse_and_close(TransportFault fault, const std::string& detail) {
        drop_staging();
        auto r = fe_->handler.fault_response(fault, head_known_ ? &head_ : nullptr, detail);
        r.close_connection = true;
        respond(std::move(r));
    }

    // Writes the header, then the body in pieces (a StreamedBody is pulled as it is sent).
    void respond(HttpResponse r) {
        response_ = std::move(r);
        const unsigned version = parser_ ? parser_->get().version() : 11;
        reply_.emplace();
        reply_->version(version);
        reply_->result(static_cast<unsigned>(response_.status));
        for (const auto& [name, value] : response_.headers) reply_->insert(name, value);
        const bool close_after = response_.close_connection || !keep_alive_ || fe_->stopping;
        reply_->keep_alive(!close_after);
        keep_alive_ = !close_after;
        if (response_.head_content_length) {
            reply_->content_length(static_cast<uint64_t>(*response_.head_content_length));
            remaining_ = 0;
        } else if (response_.stream) {
            reply_->content_length(static_cast<uint64_t>(response_.stream->length));
            remaining_ = response_.stream->length;
        } else {
            reply_->content_length(response_.body.size());
            remaining_ = static_cast<int64_t>(response_.body.size());
            body_offset_ = 0;
        }
        reply_->body().data = nullptr;
        reply_->body().size = 0;
        reply_->body().more = remaining_ > 0;
        serializer_.emplace(*reply_);
        lowest().expires_after(seconds(limits().io_timeout_s));
        http::async_write_header(stream_, *serializer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->close();
            self->write_body();
        });
    }

    void write_body() {
        size_t n = 0;
        if (remaining_ > 0) {
            const size_t want = static_cast<size_t>(std::min<int64_t>(remaining_, static_cast<int64_t>(chunk_.size())));
            if (response_.stream) {
                n = response_.stream->read(chunk_.data(), want);
                if (n == 0) return close();  // the bytes went missing: the client sees a short body
            } else {
                n = want;
                std::memcpy(chunk_.data(), response_.body.data() + body_offset_, n);
                body_offset_ += n;
            }
            remaining_ -= static_cast<int64_t>(n);
        }
        auto& b = reply_->body();
        b.data = n ? chunk_.data() : nullptr;
        b.size = n;
        b.more = remaining_ > 0;
        lowest().expires_after(seconds(limits().io_timeout_s));
        http::async_write(stream_, *serializer_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec == http::error::need_buffer) ec = {};
            if (ec) return self->close();
            if (!self->serializer_->is_done()) return self->write_body();
            self->after_response();
        });
    }

    void after_response() {
        serializer_.reset();
        reply_.reset();
        response_ = HttpResponse{};
        // An unread rest of a body would be taken for the next request.
        const bool unread = !admitted_ || (parser_ && !parser_->is_done());
        if (unread) return linger_close();
        if (!keep_alive_) return close();
        parser_.reset();
        wait_for_request();
    }

    // Closing with unread bytes pending makes the kernel answer with a reset, which can destroy
    // the response before the client reads it: stop sending, swallow a little, then close.
    void linger_close() {
        if constexpr (is_tls<Stream>) {
            return close();
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
            lowest().expires_after(std::chrono::seconds(1));
            drain(0);
        }
    }

    void drain(size_t swallowed) {
        if (swallowed > (1u << 20)) return close();
        lowest().async_read_some(net::buffer(chunk_), [self = this->shared_from_this(), swallowed](beast::error_code ec, size_t n) {
            if (ec) return self->close();
            self->drain(swallowed + n);
        });
    }

    void close() {
        drop_staging();
        if constexpr (is_tls<Stream>) {
            lowest().expires_after(std::chrono::seconds(2));
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                beast::error_code ignored;
                self->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
                self->lowest().close();
            });
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
            lowest().close();
        }
    }

    Stream stream_;
    std::shared_ptr<HttpFrontEnd::Impl> fe_;
    std::string client_;
    bool admitted_;
    bool first_request_ = true;
    bool waiting_ = false;  // between requests: stop() may close it
    bool keep_alive_ = false;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::buffer_body>> parser_;
    HttpRequest head_;
    bool head_known_ = false;  // head_ is the current request's
    BodyPlan plan_;
    ReceivedBody body_;
    std::optional<FileSink> sink_;
    int64_t received_ = 0;
    Clock::time_point body_start_;
    std::array<char, kChunk> chunk_;
    HttpResponse response_;
    std::optional<http::response<http::buffer_body>> reply_;
    std::optional<http::response_serializer<http::buffer_body>> serializer_;
    int64_t remaining_ = 0;
    size_t body_offset_ = 0;
};

}  // namespace

void HttpFrontEnd::Impl::accept() {
    acceptor.async_accept(net::make_strand(ioc), beast::bind_front_handler(&Impl::on_accept, shared_from_this()));
}

template <class Stream>
void HttpFrontEnd::Impl::start_session(Stream&& stream, std::string client, bool admitted) {
    auto session = std::make_shared<Session<Stream>>(std::move(stream), shared_from_this(), std::move(client), admitted);
    add(session);
    session->start();
}

void HttpFrontEnd::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
    if (stopping || !acceptor.is_open()) return;
    if (!ec) {
        beast::error_code e;
        const auto remote = socket.remote_endpoint(e);
        std::string client = e ? "?" : remote.address().to_string();
        const bool admitted = connections.admit(client);
        if (tls)
            start_session(beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls),
                          std::move(client), admitted);
        else
            start_session(beast::tcp_stream(std::move(socket)), std::move(client), admitted);
    } else if (ec == net::error::no_descriptors) {
        // Out of file descriptors: pause accepting briefly rather than spin.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    accept();
}

void HttpFrontEnd::Impl::begin_stop() {
    if (stopping.exchange(true)) return;
    net::post(acceptor.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->acceptor.close(ignored);
    });
    std::vector<std::shared_ptr<SessionBase>> live;
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& [p, weak] : sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->close_if_idle();
    // Requests in flight get the grace period; then whatever is left is cut.
    std::thread([self = shared_from_this()] {
        const auto deadline = Clock::now() + seconds(self->options.limits.shutdown_grace_s);
        while (Clock::now() < deadline) {
            {
                std::lock_guard lock(self->sessions_mutex);
                if (self->sessions.empty()) break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        self->ioc.stop();
    }).detach();
}

HttpFrontEnd::HttpFrontEnd(const FrontEndOptions& options, RequestHandler& handler)
    : impl_(std::make_shared<Impl>(options, handler)) {
    if (options.tls_cert.empty() != options.tls_key.empty())
        throw Error("--tls-cert and --tls-key go together: give both, or neither");
    if (!options.tls_cert.empty()) {
        impl_->tls.emplace(ssl::context::tls_server);
        auto& ctx = *impl_->tls;
        ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
        beast::error_code ec;
        ctx.use_certificate_chain_file(options.tls_cert.string(), ec);
        if (ec) throw Error(Location(options.tls_cert.string()), "cannot load the TLS certificate chain: " + ec.message());
        ctx.use_private_key_file(options.tls_key.string(), ssl::context::pem, ec);
        if (ec) throw Error(Location(options.tls_key.string()), "cannot load the TLS private key: " + ec.message());
    }
}

HttpFrontEnd::~HttpFrontEnd() {
    impl_->begin_stop();
    impl_->pool.join();
}

int HttpFrontEnd::bind() {
    auto& a = impl_->acceptor;
    const auto& o = impl_->options;
    beast::error_code ec;
    tcp::resolver resolver(impl_->ioc);
    const auto results = resolver.resolve(o.host, std::to_string(o.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
    const tcp::endpoint endpoint = *results.begin();
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (" + ec.message() +
                    "; in use, or not an address of this machine)");
    impl_->port = a.local_endpoint().port();
    return impl_->port;
}

void HttpFrontEnd::run() {
    // Between requests in flight and their answers the I/O context may have nothing queued;
    // it must not return until stop() is done with it.
    auto work = net::make_work_guard(impl_->ioc);
    impl_->accept();
    // A completion handler that throws ends only its own connection's chain, never the server.
    auto serve = [this] {
        for (;;) {
            try {
                impl_->ioc.run();
                return;
            } catch (const std::exception& e) {
                std::clog << "apiary serve: a connection failed: " << e.what() << std::endl;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < impl_->options.io_threads; ++i) threads.emplace_back(serve);
    serve();
    for (auto& t : threads) t.join();
}

void HttpFrontEnd::stop() { impl_->begin_stop(); }

int HttpFrontEnd::port() const { return impl_->port; }

int HttpFrontEnd::open_connections() const { return impl_->connections.total(); }

}  // namespace apiary::service
