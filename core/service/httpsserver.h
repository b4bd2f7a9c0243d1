#pragma once

#include "common/result.h"
#include "service/httpmessage.h"
#include "service/tlscontext.h"

#include <QString>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace imprint::service {

struct HttpsServerConfig {
    QString host = QStringLiteral("127.0.0.1"); // an address ("0.0.0.0", "::") or a host name
    quint16 port = 8443;                         // 0 = any free port (see HttpsServer::port())
    int threads = 0;                             // io threads; 0 = number of cores
    // A complete request (headers and body) must arrive within this time after the
    // connection became ready for it (after the handshake or the previous response);
    // otherwise the connection is closed. Also bounds slow (slowloris) clients.
    std::chrono::milliseconds idleTimeout{std::chrono::seconds(10)};
    std::chrono::milliseconds handshakeTimeout{std::chrono::seconds(10)};
    std::chrono::milliseconds writeTimeout{std::chrono::seconds(10)};
    // stop(): how long in-flight requests may take to finish before connections are cut.
    std::chrono::milliseconds stopTimeout{std::chrono::seconds(10)};
    std::size_t maxBodyBytes = std::size_t(1) << 20; // larger: 413
    std::size_t maxHeaderBytes = 8 * 1024;           // request line + headers; larger: 431
    // Connections beyond this are closed right after accept. start() raises the soft
    // RLIMIT_NOFILE towards this (up to the hard limit) and warns if it cannot.
    int maxConnections = 10000;
    // Run on each io thread when it starts and just before it ends, e.g. to close that
    // thread's database connection.
    std::function<void()> threadStarted;
    std::function<void()> threadFinished;
};

// HTTPS/1.1 server (Boost.Beast on Asio, OpenSSL) that hands each parsed request to a
// Handler on one of a fixed set of io threads. One io_context per thread; one acceptor
// hands each new connection to the io thread with the fewest connections, and the
// connection (handshake, reads, handler calls, writes) stays on that thread for life.
//
// Transport-level errors are answered here with a JSON body {"error":"..."}: 400
// unparsable request, 413 body over maxBodyBytes (as soon as Content-Length says so, or
// when a chunked body grows past it), 431 headers over maxHeaderBytes; the connection is
// closed after them. One access-log line per request goes to imprint.access (qCInfo):
//   method=POST path=/api/v1/enroll status=200 server_id=srv_... duration_ms=1.23 remote=127.0.0.1
// (path only: never the query string or the body).
class HttpsServer {
public:
    HttpsServer(HttpsServerConfig config, std::shared_ptr<TlsContext> tls, Handler handler);
    ~HttpsServer(); // stop()
    HttpsServer(const HttpsServer &) = delete;
    HttpsServer &operator=(const HttpsServer &) = delete;

    // Binds, listens and starts the io threads. Fails with a message naming the address,
    // e.g. "cannot listen on 127.0.0.1:8443: Address already in use". Once only.
    Status start();

    // The bound port (the chosen one when config.port was 0); 0 before start().
    quint16 port() const;

    // New connections use `tls` from now on (e.g. a renewed server certificate); existing
    // connections keep theirs. TLS sessions stay resumable across the swap when both
    // contexts trust the same client CAs. Thread-safe.
    void setTlsContext(std::shared_ptr<TlsContext> tls);
    std::shared_ptr<TlsContext> tlsContext() const;

    // Graceful stop: stops accepting, closes idle keep-alive connections, lets in-flight
    // requests finish and answers them with "Connection: close" (up to config.stopTimeout,
    // then cuts what is left), joins the io threads. Idempotent; callable from any thread.
    // Called from a handler (an io thread) it only initiates the stop; the destructor or a
    // later stop() from another thread joins. A handler that never returns blocks it.
    void stop();

    // Starts catching SIGINT and SIGTERM for runUntilSignalled(), so that a signal sent
    // between the two (right after the service said it is ready) is not lost to the
    // default disposition. runUntilSignalled() calls it when it was not called before.
    void catchSignals();

    // Blocks until SIGINT or SIGTERM (or until stop() is called elsewhere), then stops
    // gracefully. After the first signal the default disposition is restored, so a
    // second Ctrl-C during the drain ends the process at once.
    void runUntilSignalled();

    bool isRunning() const;
    int connectionCount() const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace imprint::service
