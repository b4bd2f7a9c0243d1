#pragma once

#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "stats.h"

#include "awaitable.h"
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace imprint::bench {

struct Target;

// One HTTP/1.1 request. `endpoint` is a protocol path ("/api/v1/enroll"), appended to the
// target's path prefix.
struct Request {
    bool post = false;
    const char *endpoint = "";
    std::string body; // JSON, POST only
    bool closeAfter = false; // send "Connection: close"
};

// What became of a step. `error` is empty on success, otherwise the kind the report
// groups by: "timeout", "connect: ...", "tls: ...", "io: ...", "http parse: ...",
// "http 401", ...
struct Outcome {
    std::string error;
    int status = 0;
    std::string body;
    bool ok() const { return error.empty(); }
};

// A client connection over TCP + TLS (Boost.Beast on asio::ssl), driven from coroutines
// on one io_context. Reopened as a whole: after a failure, a "Connection: close" answer
// or shutdown() it is closed and open() makes a new TCP connection and TLS session.
class Connection {
public:
    Connection(boost::asio::io_context &io, const Target &target, bool verifyHost);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // TCP connect and full TLS handshake (resumed when `session` is given and accepted),
    // presenting `key`+`certificate` instead of the context's identity when given.
    boost::asio::awaitable<Outcome> open(boost::asio::ssl::context &tls, Clock::time_point deadline,
                                         const crypto::PrivateKey *key = nullptr,
                                         const crypto::Certificate *certificate = nullptr,
                                         SSL_SESSION *session = nullptr);

    // Sends `request` and reads the whole answer (body capped at 1 MiB). Any status other
    // than 200 is an error "http <status>" (the body is kept). Closes the connection when
    // the exchange failed or the server does not keep it alive.
    boost::asio::awaitable<Outcome> exchange(const Request &request, Clock::time_point deadline);

    // Orderly TLS close (close_notify both ways, at most one second), then TCP close.
    boost::asio::awaitable<void> shutdown();

    bool isOpen() const;
    bool sessionReused() const;
    // The session to resume next time (SSL_get1_session); the caller frees it.
    SSL_SESSION *takeSession() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace imprint::bench
