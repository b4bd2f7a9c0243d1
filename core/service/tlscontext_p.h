#pragma once

// Private to core/service: pulls in Boost.Asio, so only the transport's .cpp files include it.

#include "service/tlscontext.h"

#include <boost/asio/ssl/context.hpp>

namespace imprint::service {

struct TlsContext::Private {
    boost::asio::ssl::context context{boost::asio::ssl::context::tls_server};
    QByteArray leafDer;
    QString serial;
    QDateTime notAfter;
    // DER of the client CA certificates, concatenated: session ticket keys are only carried
    // over to a replacement context that trusts exactly the same client CAs.
    QByteArray clientCaDer;
};

// Lets sessions issued under `from` resume under `to` (same ticket keys), so that a server
// certificate renewal does not force every device through a full handshake. Does nothing
// when the two trust different client CAs. Call before `to` serves its first connection.
void carryOverSessionTickets(const TlsContext &from, TlsContext &to);

} // namespace imprint::service
