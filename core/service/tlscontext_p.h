#pragma once

// Private to core/service: pulls in Boost.Asio, so only the transport's .cpp files include it.

#include "service/tlscontext.h"
#include "service/tlssessioncache.h"

#include <boost/asio/ssl/context.hpp>

namespace imprint::service {

struct TlsContext::Private {
    // Declared before the SSL_CTX, so that it outlives it: the context's callbacks use it.
    std::shared_ptr<TlsSessionCache> sessions;
    boost::asio::ssl::context context{boost::asio::ssl::context::tls_server};
    QByteArray leafDer;
    QString serial;
    QDateTime notAfter;
    // DER of the client CA certificates, concatenated: sessions are only shared with a
    // replacement context that trusts exactly the same client CAs.
    QByteArray clientCaDer;
};

// Lets sessions begun under `from` resume under `to` (one session cache for both), so that
// a server certificate renewal does not force every device through a full handshake. Does
// nothing when the two trust different client CAs. Call before `to` serves its first
// connection.
void shareSessions(const TlsContext &from, TlsContext &to);

} // namespace imprint::service
