#include "service/httpsserver.h"

#include "common/logging.h"
#include "service/httpbody_p.h"
#include "service/tlscontext_p.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace imprint::service {

namespace {

using Clock = std::chrono::steady_clock;
using Body = detail::QByteArrayBody;

// After the last response of a connection: close_notify is sent without waiting for the
// peer's, then the send side is shut down and whatever the client still sends (e.g. the
// rest of a refused upload) is read and dropped for a moment, so that the kernel does not
// answer it with a reset that could destroy the response before the client has read it.
constexpr std::chrono::milliseconds kShutdownTimeout{1000};
constexpr std::chrono::milliseconds kLingerTimeout{1000};
// accept() failing for lack of resources (EMFILE, ENOBUFS, ...) is retried after a pause
// instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// After stopTimeout: how long force-closed connections get to unwind before the io
// contexts are stopped.
constexpr std::chrono::milliseconds kForceCloseWait{1000};
constexpr std::chrono::seconds kWarningInterval{10};

beast::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), std::size_t(bytes.size())};
}

QByteArray bytes(beast::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

QByteArray jsonError(const char *message)
{
    return QByteArray("{\"error\":\"") + message + "\"}";
}

bool isToken(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
        if (!ok || c == '\0')
            return false;
    }
    return true;
}

bool isSafeHeaderValue(const QByteArray &value)
{
    return !value.contains('\r') && !value.contains('\n') && !value.contains('\0');
}

const char *text(const std::string &s)
{
    return s.c_str();
}

class Session;
class ServerCore;

// Marks the io threads of a server, so that stop() can tell when it is called from a
// handler (and must not join its own thread).
thread_local const ServerCore *t_currentServer = nullptr;

struct Worker {
    explicit Worker(int i) : index(i) {}

    const int index;
    // Sessions of this thread, touched on this thread only (and after join).
    std::unordered_set<Session *> sessions;
    std::atomic<int> connections{0};
    std::thread thread;
    // Declared after `sessions`: destroying the io_context releases the sessions of any
    // handlers still queued, and they unregister themselves from `sessions`.
    net::io_context ioc{1};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
};

class ServerCore {
public:
    ServerCore(HttpsServerConfig cfg, std::shared_ptr<TlsContext> tlsContext, Handler h)
        : config(std::move(cfg)), handler(std::move(h)), m_tls(std::move(tlsContext))
    {
    }
    ~ServerCore() { stop(); }

    Status start();
    void stop();
    void catchSignals();
    void runUntilSignalled();
    void setTls(std::shared_ptr<TlsContext> tls);
    std::shared_ptr<TlsContext> tls() const
    {
        std::lock_guard lock(m_tlsMutex);
        return m_tls;
    }
    quint16 port() const { return m_port.load(); }
    bool isRunning() const { return m_running.load(); }
    int connectionCount() const { return m_connections.load(); }

    bool stopping() const { return m_stopping.load(std::memory_order_relaxed); }
    void connectionClosed(Worker &worker);

    const HttpsServerConfig config;
    const Handler handler;

private:
    void initiateStop();
    void doAccept();
    void onAccept(Worker &worker, const beast::error_code &ec, tcp::socket socket);
    Worker &pickWorker();
    void runWorker(Worker &worker);
    void raiseFileLimit();
    bool warningDue(Clock::time_point &last);

    mutable std::mutex m_tlsMutex;
    std::shared_ptr<TlsContext> m_tls;

    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_connections{0};
    std::atomic<quint16> m_port{0};
    std::mutex m_drainMutex;
    std::condition_variable m_drained;

    std::mutex m_stopMutex; // held by start() and a joining stop()
    bool m_started = false;
    bool m_stopped = false;

    std::mutex m_signalMutex;
    net::io_context *m_signalContext = nullptr;
    // From catchSignals() to the end of runUntilSignalled(); the set before its context.
    std::optional<net::io_context> m_signalIo;
    std::optional<net::signal_set> m_signals;

    // Destroyed before the members above: sessions released while the io contexts are
    // destroyed still report to connectionClosed().
    std::vector<std::unique_ptr<Worker>> m_workers;
    // Bound to m_workers[0]'s io_context, so destroyed (explicitly, in stop()) before it.
    std::optional<tcp::acceptor> m_acceptor;
    std::optional<net::steady_timer> m_acceptRetry;
    std::size_t m_nextWorker = 0;                // acceptor thread only
    Clock::time_point m_lastLimitWarning{};      // acceptor thread only
    Clock::time_point m_lastAcceptErrorWarning{}; // acceptor thread only
};

// One connection: TLS handshake, then requests one after the other (keep-alive), all on
// the thread of its Worker, so no locking and no strand.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(ServerCore &server, Worker &worker, tcp::socket socket, std::shared_ptr<TlsContext> tls)
        : m_server(server), m_worker(worker), m_tls(std::move(tls)), m_stream(std::move(socket), m_tls->d().context)
    {
        m_worker.sessions.insert(this);
    }

    ~Session()
    {
        m_worker.sessions.erase(this);
        m_server.connectionClosed(m_worker);
    }

    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void start();
    // The server is stopping: drop the connection if it sits between requests, otherwise
    // let the current request finish (its response says Connection: close).
    void onServerStopping();
    void forceClose();

private:
    enum class State { Handshake, Idle, Reading, Handling, Writing, Closing };

    beast::tcp_stream &tcp() { return beast::get_lowest_layer(m_stream); }

    void onHandshake(const beast::error_code &ec);
    void readRequest();
    void onHeader(const beast::error_code &ec);
    void readBody();
    void onReadError(const beast::error_code &ec);
    void handleRequest();
    void respondError(int status, const char *message);
    void buildResponse(HttpResponse &&response, unsigned version, bool keepAlive, bool head);
    void writeResponse();
    void onWrite(const beast::error_code &ec);
    void logAccess() const;
    void gracefulClose();
    void linger();
    void drain();

    ServerCore &m_server;
    Worker &m_worker;
    std::shared_ptr<TlsContext> m_tls; // keeps the SSL_CTX of this connection alive
    beast::ssl_stream<beast::tcp_stream> m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<Body>> m_parser;
    http::response<Body> m_response;
    State m_state = State::Handshake;
    bool m_keepAlive = false;
    QString m_remote;
    std::shared_ptr<const crypto::Certificate> m_peerCertificate;

    // For the access log line of the current request.
    Clock::time_point m_started;
    QByteArray m_logMethod;
    QByteArray m_logPath;
    int m_logStatus = 0;
    QString m_logServerId;
};

void Session::start()
{
    if (m_server.stopping())
        return;
    beast::error_code ec;
    auto &socket = tcp().socket();
    const tcp::endpoint endpoint = socket.remote_endpoint(ec);
    if (ec)
        return; // already gone
    net::ip::address address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    m_remote = QString::fromStdString(address.to_string());
    // Responses go out as one write; do not let Nagle hold them back.
    socket.set_option(tcp::no_delay(true), ec);

    m_state = State::Handshake;
    tcp().expires_after(m_server.config.handshakeTimeout);
    m_stream.async_handshake(net::ssl::stream_base::server,
                             [self = shared_from_this()](const beast::error_code &e) { self->onHandshake(e); });
}

void Session::onHandshake(const beast::error_code &ec)
{
    if (ec) {
        qCDebug(lcService, "event=tls_handshake_failed remote=%s reason=%s", qPrintable(m_remote), text(ec.message()));
        return;
    }
    // On a resumed session the certificate comes from the cached session, verified when
    // it was issued; the verify result is stored with it.
    SSL *ssl = m_stream.native_handle();
    // The X509 that OpenSSL parsed in the handshake is shared, not re-encoded and parsed again:
    // that was most of the CPU of a guarded request (docs/BENCHMARKS.md).
    if (X509 *peer = SSL_get0_peer_certificate(ssl); peer && SSL_get_verify_result(ssl) == X509_V_OK) {
        if (auto certificate = crypto::Certificate::fromHandle(peer))
            m_peerCertificate = std::make_shared<const crypto::Certificate>(std::move(certificate).value());
        else
            qCWarning(lcService).noquote() << "event=peer_certificate_unusable remote=" + m_remote
                                           << "reason=" + certificate.errorMessage();
    }
    readRequest();
}

void Session::readRequest()
{
    if (m_server.stopping()) {
        gracefulClose();
        return;
    }
    m_state = State::Idle;
    m_parser.emplace();
    m_parser->body_limit(std::uint64_t(m_server.config.maxBodyBytes));
    m_parser->header_limit(std::uint32_t(std::min<std::size_t>(m_server.config.maxHeaderBytes, UINT32_MAX)));
    // One deadline for the whole request, not per read: a client trickling bytes cannot
    // keep the connection open longer than this.
    tcp().expires_after(m_server.config.idleTimeout);
    http::async_read_header(m_stream, m_buffer, *m_parser,
                            [self = shared_from_this()](const beast::error_code &ec, std::size_t) {
                                self->onHeader(ec);
                            });
}

void Session::onHeader(const beast::error_code &ec)
{
    if (ec) {
        onReadError(ec);
        return;
    }
    m_state = State::Reading;
    m_started = Clock::now();
    const auto &message = m_parser->get();
    if (message.version() >= 11 && message.find(http::field::host) == message.end()) {
        respondError(400, "missing Host header");
        return;
    }
    if (m_parser->is_done()) {
        handleRequest();
        return;
    }
    // A client that waits for "100 Continue" gets it only now that the headers (and a
    // Content-Length within the limit) have been accepted.
    if (message.version() >= 11 && beast::iequals(message[http::field::expect], "100-continue")) {
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        net::async_write(m_stream, net::const_buffer(kContinue, sizeof kContinue - 1),
                         [self = shared_from_this()](const beast::error_code &e, std::size_t) {
                             if (e)
                                 self->onReadError(e);
                             else
                                 self->readBody();
                         });
        return;
    }
    readBody();
}

void Session::readBody()
{
    http::async_read(m_stream, m_buffer, *m_parser, [self = shared_from_this()](const beast::error_code &ec, std::size_t) {
        if (ec)
            self->onReadError(ec);
        else
            self->handleRequest();
    });
}

void Session::onReadError(const beast::error_code &ec)
{
    if (ec == http::error::body_limit) {
        respondError(413, "request body too large");
        return;
    }
    if (ec == http::error::header_limit) {
        respondError(431, "request header fields too large");
        return;
    }
    if (ec == beast::error::timeout) {
        // tcp_stream has closed the socket already.
        qCDebug(lcService, "event=connection_timeout remote=%s idle=%d", qPrintable(m_remote),
                int(m_state == State::Idle && m_buffer.size() == 0));
        return;
    }
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category()
        && ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::short_read) {
        respondError(400, "bad request");
        return;
    }
    // The client went away (end of stream, reset, truncated TLS) or we closed it.
}

void Session::respondError(int status, const char *message)
{
    if (m_state == State::Idle)
        m_started = Clock::now();
    if (m_parser) {
        const auto &request = m_parser->get();
        m_logMethod = bytes(request.method_string());
        const beast::string_view target = request.target();
        m_logPath = bytes(target.substr(0, target.find('?')));
    }
    const unsigned version = m_parser && m_parser->get().version() == 10 ? 10 : 11;
    m_parser.reset();
    HttpResponse response;
    response.status = status;
    response.body = jsonError(message);
    buildResponse(std::move(response), version, false, false);
    writeResponse();
}

void Session::handleRequest()
{
    m_state = State::Handling;
    HttpRequest request;
    bool keepAlive = false;
    unsigned version = 11;
    bool head = false;
    {
        auto &message = m_parser->get();
        request.method = bytes(message.method_string());
        const beast::string_view target = message.target();
        const std::size_t question = target.find('?');
        request.target = bytes(target.substr(0, question));
        if (question != beast::string_view::npos)
            request.query = bytes(target.substr(question + 1));
        if (const auto it = message.find(http::field::content_type); it != message.end())
            request.contentType = bytes(it->value());
        request.body = std::move(message.body());
        keepAlive = message.keep_alive();
        version = message.version();
        head = message.method() == http::verb::head;
    }
    m_parser.reset(); // the headers are not needed any more; free them before the handler runs
    request.remoteAddress = m_remote;
    request.peerCertificate = m_peerCertificate;
    m_logMethod = request.method;
    m_logPath = request.target;

    HttpResponse response;
    try {
        response = m_server.handler(request);
    } catch (const std::exception &e) {
        qCCritical(lcService, "event=handler_exception path=%s reason=%s", logField(m_logPath).constData(), e.what());
        response = HttpResponse{500, "application/json", jsonError("internal error"), {}, {}};
    } catch (...) {
        qCCritical(lcService, "event=handler_exception path=%s", logField(m_logPath).constData());
        response = HttpResponse{500, "application/json", jsonError("internal error"), {}, {}};
    }
    buildResponse(std::move(response), version, keepAlive && !m_server.stopping(), head);
    writeResponse();
}

void Session::buildResponse(HttpResponse &&response, unsigned version, bool keepAlive, bool head)
{
    if (response.status < 200 || response.status > 599) {
        qCWarning(lcService, "event=handler_invalid_status status=%d path=%s", response.status, logField(m_logPath).constData());
        response = HttpResponse{500, "application/json", jsonError("internal error"), {}, response.serverId};
    }
    m_response = {};
    m_response.version(version);
    m_response.result(unsigned(response.status));
    m_response.set(http::field::server, "imprint");
    for (const auto &[name, value] : std::as_const(response.headers)) {
        if (!isToken(name) || !isSafeHeaderValue(value)) {
            qCWarning(lcService, "event=handler_invalid_header path=%s", logField(m_logPath).constData());
            continue;
        }
        const http::field field = http::string_to_field(view(name));
        if (field == http::field::content_length || field == http::field::transfer_encoding)
            continue;
        if (field == http::field::connection) {
            if (beast::iequals(view(value), "close"))
                keepAlive = false;
            continue;
        }
        m_response.insert(view(name), view(value));
    }
    if (response.status != 204 && response.status != 304) {
        if (!response.contentType.isEmpty())
            m_response.set(http::field::content_type, view(response.contentType));
        m_response.content_length(std::uint64_t(response.body.size()));
        if (!head)
            m_response.body() = std::move(response.body);
    }
    m_response.keep_alive(keepAlive);
    m_keepAlive = keepAlive;
    m_logStatus = response.status;
    m_logServerId = std::move(response.serverId);
}

void Session::writeResponse()
{
    m_state = State::Writing;
    tcp().expires_after(m_server.config.writeTimeout);
    http::async_write(m_stream, m_response, [self = shared_from_this()](const beast::error_code &ec, std::size_t) {
        self->onWrite(ec);
    });
}

void Session::onWrite(const beast::error_code &ec)
{
    logAccess();
    m_response.body() = QByteArray(); // do not hold a large body while idle
    if (ec) {
        qCDebug(lcService, "event=write_failed remote=%s reason=%s", qPrintable(m_remote), text(ec.message()));
        return;
    }
    if (!m_keepAlive) {
        gracefulClose();
        return;
    }
    readRequest();
}

void Session::logAccess() const
{
    if (!lcAccess().isInfoEnabled())
        return;
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - m_started).count();
    QByteArray line;
    line.reserve(160);
    line += "method=";
    if (m_logMethod.isEmpty())
        line += '-';
    else
        appendLogField(line, m_logMethod, 32);
    line += " path=";
    if (m_logPath.isEmpty())
        line += '-';
    else
        appendLogField(line, m_logPath);
    line += " status=";
    line += QByteArray::number(m_logStatus);
    line += " server_id=";
    line += m_logServerId.isEmpty() ? QByteArray("-") : m_logServerId.toUtf8();
    line += " duration_ms=";
    line += QByteArray::number(ms, 'f', 2);
    line += " remote=";
    line += m_remote.toLatin1();
    qCInfo(lcAccess, "%s", line.constData());
}

void Session::gracefulClose()
{
    m_state = State::Closing;
    // Send close_notify but do not wait for the peer's: SSL_shutdown then completes at once.
    SSL *ssl = m_stream.native_handle();
    SSL_set_shutdown(ssl, SSL_get_shutdown(ssl) | SSL_RECEIVED_SHUTDOWN);
    tcp().expires_after(kShutdownTimeout);
    m_stream.async_shutdown([self = shared_from_this()](const beast::error_code &ec) {
        if (!ec)
            self->linger();
    });
}

void Session::linger()
{
    beast::error_code ec;
    tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
        return;
    tcp().expires_after(kLingerTimeout);
    drain();
}

void Session::drain()
{
    m_buffer.clear();
    tcp().async_read_some(m_buffer.prepare(4096), [self = shared_from_this()](const beast::error_code &ec, std::size_t) {
        if (!ec)
            self->drain();
    });
}

void Session::onServerStopping()
{
    switch (m_state) {
    case State::Handshake:
        forceClose();
        break;
    case State::Idle:
        if (m_buffer.size() == 0)
            forceClose();
        break;
    case State::Reading:
    case State::Handling:
    case State::Writing:
    case State::Closing:
        break; // answered with Connection: close, then closed
    }
}

void Session::forceClose()
{
    tcp().close();
}

// --- ServerCore ---

void ServerCore::raiseFileLimit()
{
    // Go raises the soft limit to the hard one at start-up; without it the default 1024
    // descriptors cap the service far below maxConnections.
    struct rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = rlim_t(std::max(config.maxConnections, 0)) + 128;
    if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= wanted)
        return;
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (limit.rlim_cur > before && setrlimit(RLIMIT_NOFILE, &limit) != 0)
        limit.rlim_cur = before;
    if (limit.rlim_cur < wanted)
        qCWarning(lcService, "event=file_limit_low limit=%llu max_connections=%d", static_cast<unsigned long long>(limit.rlim_cur),
                  config.maxConnections);
}

Status ServerCore::start()
{
    std::lock_guard lock(m_stopMutex);
    if (m_started)
        return Status::failure(QStringLiteral("the HTTPS server was already started"));
    if (!handler)
        return Status::failure(QStringLiteral("the HTTPS server has no request handler"));
    if (!tls())
        return Status::failure(QStringLiteral("the HTTPS server has no TLS configuration"));

    const int threads = config.threads > 0 ? config.threads : std::max(1, int(std::thread::hardware_concurrency()));
    raiseFileLimit();
    for (int i = 0; i < threads; ++i)
        m_workers.push_back(std::make_unique<Worker>(i));
    auto fail = [this](const QString &message) {
        m_acceptor.reset();
        m_workers.clear();
        return Status::failure(message);
    };

    const QString where = (config.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + config.host + QLatin1Char(']')
                                                                   : config.host)
                          + QLatin1Char(':') + QString::number(config.port);
    beast::error_code ec;
    tcp::endpoint endpoint;
    const net::ip::address address = net::ip::make_address(config.host.toStdString(), ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, config.port);
    } else {
        tcp::resolver resolver(m_workers.front()->ioc);
        const auto results = resolver.resolve(config.host.toStdString(), std::to_string(config.port),
                                              tcp::resolver::passive, ec);
        if (ec || results.empty())
            return fail(QStringLiteral("cannot listen on %1: cannot resolve host name: %2")
                            .arg(where, QString::fromStdString(ec.message())));
        endpoint = results.begin()->endpoint();
    }

    m_acceptor.emplace(m_workers.front()->ioc);
    auto &acceptor = *m_acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec && endpoint.address().is_v6() && endpoint.address().is_unspecified())
        acceptor.set_option(net::ip::v6_only(false), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        return fail(QStringLiteral("cannot listen on %1: %2").arg(where, QString::fromStdString(ec.message())));
    m_port = acceptor.local_endpoint(ec).port();

    m_acceptRetry.emplace(m_workers.front()->ioc);
    for (auto &worker : m_workers)
        worker->work.emplace(net::make_work_guard(worker->ioc));
    doAccept();
    for (auto &worker : m_workers) {
        Worker *w = worker.get();
        w->thread = std::thread([this, w] { runWorker(*w); });
    }
    m_started = true;
    m_running = true;
    qCInfo(lcService, "event=listening address=%s port=%u threads=%d", qPrintable(config.host), unsigned(m_port.load()),
           threads);
    return Status::success();
}

void ServerCore::runWorker(Worker &worker)
{
    t_currentServer = this;
    const std::string name = "imprint-io-" + std::to_string(worker.index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    if (config.threadStarted)
        config.threadStarted();
    for (;;) {
        try {
            worker.ioc.run();
            break;
        } catch (const std::exception &e) {
            qCCritical(lcService, "event=io_thread_exception reason=%s", e.what());
        }
    }
    if (config.threadFinished)
        config.threadFinished();
    t_currentServer = nullptr;
}

Worker &ServerCore::pickWorker()
{
    // Round robin, but skip to the thread with the fewest connections: long-lived
    // keep-alive connections would otherwise pile up unevenly.
    const std::size_t n = m_workers.size();
    std::size_t best = m_nextWorker % n;
    int bestLoad = m_workers[best]->connections.load(std::memory_order_relaxed);
    for (std::size_t i = 1; i < n && bestLoad > 0; ++i) {
        const std::size_t k = (m_nextWorker + i) % n;
        const int load = m_workers[k]->connections.load(std::memory_order_relaxed);
        if (load < bestLoad) {
            best = k;
            bestLoad = load;
        }
    }
    m_nextWorker = best + 1;
    return *m_workers[best];
}

void ServerCore::doAccept()
{
    Worker &worker = pickWorker();
    m_acceptor->async_accept(net::any_io_executor(worker.ioc.get_executor()),
                             [this, &worker](const beast::error_code &ec, tcp::socket socket) {
                                 onAccept(worker, ec, std::move(socket));
                             });
}

bool ServerCore::warningDue(Clock::time_point &last)
{
    const auto now = Clock::now();
    if (now - last < kWarningInterval)
        return false;
    last = now;
    return true;
}

void ServerCore::onAccept(Worker &worker, const beast::error_code &ec, tcp::socket socket)
{
    if (stopping() || ec == net::error::operation_aborted)
        return;
    if (ec) {
        if (ec == net::error::connection_aborted) {
            doAccept();
            return;
        }
        if (warningDue(m_lastAcceptErrorWarning))
            qCWarning(lcService, "event=accept_failed reason=%s", text(ec.message()));
        m_acceptRetry->expires_after(kAcceptRetryDelay);
        m_acceptRetry->async_wait([this](const beast::error_code &e) {
            if (!e && !stopping())
                doAccept();
        });
        return;
    }
    if (m_connections.load() >= config.maxConnections) {
        if (warningDue(m_lastLimitWarning))
            qCWarning(lcService, "event=connection_limit_reached max_connections=%d", config.maxConnections);
        beast::error_code ignored;
        socket.close(ignored);
        doAccept();
        return;
    }
    m_connections.fetch_add(1);
    worker.connections.fetch_add(1, std::memory_order_relaxed);
    net::post(worker.ioc, [this, &worker, s = std::move(socket)]() mutable {
        std::shared_ptr<Session> session;
        try {
            session = std::make_shared<Session>(*this, worker, std::move(s), tls());
        } catch (const std::exception &e) {
            qCWarning(lcService, "event=connection_setup_failed reason=%s", e.what());
            connectionClosed(worker);
            return;
        }
        session->start();
    });
    doAccept();
}

void ServerCore::connectionClosed(Worker &worker)
{
    worker.connections.fetch_sub(1, std::memory_order_relaxed);
    if (m_connections.fetch_sub(1) == 1 && stopping()) {
        std::lock_guard lock(m_drainMutex);
        m_drained.notify_all();
    }
}

void ServerCore::setTls(std::shared_ptr<TlsContext> tls)
{
    if (!tls)
        return;
    {
        std::lock_guard lock(m_tlsMutex);
        if (m_tls)
            shareSessions(*m_tls, *tls);
        m_tls = tls;
    }
    qCInfo(lcService, "event=tls_context_replaced serial=%s not_after=%s", qPrintable(tls->certificateSerial()),
           qPrintable(tls->certificateNotAfter().toString(Qt::ISODate)));
}

void ServerCore::initiateStop()
{
    {
        std::lock_guard lock(m_signalMutex);
        if (m_stopping.exchange(true))
            return;
        if (m_signalContext)
            m_signalContext->stop();
    }
    if (m_workers.empty())
        return;
    qCInfo(lcService, "event=stopping connections=%d", m_connections.load());
    net::post(m_workers.front()->ioc, [this] {
        beast::error_code ignored;
        m_acceptor->close(ignored);
        m_acceptRetry->cancel();
    });
    for (auto &worker : m_workers) {
        Worker *w = worker.get();
        net::post(w->ioc, [w] {
            const std::vector<Session *> sessions(w->sessions.begin(), w->sessions.end());
            for (Session *session : sessions)
                session->onServerStopping();
        });
    }
}

void ServerCore::stop()
{
    if (t_currentServer == this) {
        // From a handler: joining would wait for this very thread.
        initiateStop();
        return;
    }
    std::lock_guard lock(m_stopMutex);
    if (!m_started || m_stopped) {
        std::lock_guard signalLock(m_signalMutex);
        m_stopping = true;
        if (m_signalContext)
            m_signalContext->stop();
        return;
    }
    initiateStop();
    {
        std::unique_lock drainLock(m_drainMutex);
        if (!m_drained.wait_for(drainLock, config.stopTimeout, [this] { return m_connections.load() == 0; })) {
            qCWarning(lcService, "event=stop_timeout connections=%d", m_connections.load());
            for (auto &worker : m_workers) {
                Worker *w = worker.get();
                net::post(w->ioc, [w] {
                    const std::vector<Session *> sessions(w->sessions.begin(), w->sessions.end());
                    for (Session *session : sessions)
                        session->forceClose();
                });
            }
            m_drained.wait_for(drainLock, kForceCloseWait, [this] { return m_connections.load() == 0; });
        }
    }
    for (auto &worker : m_workers) {
        worker->work.reset();
        worker->ioc.stop();
    }
    for (auto &worker : m_workers) {
        if (worker->thread.joinable())
            worker->thread.join();
    }
    m_acceptRetry.reset();
    m_acceptor.reset();
    m_workers.clear(); // releases whatever was still queued
    m_stopped = true;
    m_running = false;
    qCInfo(lcService, "event=stopped");
}

void ServerCore::catchSignals()
{
    if (m_signals)
        return;
    m_signalIo.emplace(1);
    // A signal before run() is queued by the set, not lost.
    m_signals.emplace(*m_signalIo, SIGINT, SIGTERM);
    m_signals->async_wait([](const beast::error_code &ec, int signal) {
        if (!ec)
            qCInfo(lcService, "event=signal_received signal=%d", signal);
    });
}

void ServerCore::runUntilSignalled()
{
    catchSignals();
    bool wait = false;
    {
        std::lock_guard lock(m_signalMutex);
        if (!m_stopping) {
            m_signalContext = &*m_signalIo;
            wait = true;
        }
    }
    if (wait) {
        m_signalIo->run();
        std::lock_guard lock(m_signalMutex);
        m_signalContext = nullptr;
    }
    // Without the set, a second signal gets the default disposition.
    m_signals.reset();
    m_signalIo.reset();
    stop();
}

} // namespace

// --- HttpsServer ---

class HttpsServer::Impl : public ServerCore {
public:
    using ServerCore::ServerCore;
};

HttpsServer::HttpsServer(HttpsServerConfig config, std::shared_ptr<TlsContext> tls, Handler handler)
    : d(std::make_unique<Impl>(std::move(config), std::move(tls), std::move(handler)))
{
}

HttpsServer::~HttpsServer() = default;

Status HttpsServer::start()
{
    return d->start();
}

quint16 HttpsServer::port() const
{
    return d->port();
}

void HttpsServer::setTlsContext(std::shared_ptr<TlsContext> tls)
{
    d->setTls(std::move(tls));
}

std::shared_ptr<TlsContext> HttpsServer::tlsContext() const
{
    return d->tls();
}

void HttpsServer::stop()
{
    d->stop();
}

void HttpsServer::catchSignals()
{
    d->catchSignals();
}

void HttpsServer::runUntilSignalled()
{
    d->runUntilSignalled();
}

bool HttpsServer::isRunning() const
{
    return d->isRunning();
}

int HttpsServer::connectionCount() const
{
    return d->connectionCount();
}

} // namespace imprint::service
