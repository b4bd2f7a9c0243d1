#pragma once

#include "crypto/certificate.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace imprint::service {

// One parsed HTTP request as the transport hands it to the routing layer.
struct HttpRequest {
    QByteArray method;      // as sent, e.g. "POST"
    QByteArray target;      // the path only, e.g. "/api/v1/enroll" (still percent-encoded)
    QByteArray query;       // what followed '?', without it; empty if none
    QByteArray contentType; // the Content-Type header, verbatim
    QByteArray body;        // at most HttpsServerConfig::maxBodyBytes
    QString remoteAddress;  // peer IP address, e.g. "127.0.0.1" (IPv4-mapped IPv6 shown as IPv4)
    // The client certificate when the client presented one and it verified against the
    // client CA of the TLS context; also set on resumed TLS sessions. Null otherwise. It is
    // taken from the TLS session once per connection and shared by its requests.
    std::shared_ptr<const crypto::Certificate> peerCertificate;
};

// The handler's answer. The transport adds Content-Length, Server and Connection.
struct HttpResponse {
    int status = 200; // 200..599; anything else is answered as 500
    QByteArray contentType = "application/json";
    QByteArray body;
    // Extra headers, e.g. {"Allow", "POST"}. Content-Length/Transfer-Encoding are ignored;
    // "Connection: close" closes the connection after this response.
    QList<QPair<QByteArray, QByteArray>> headers;
    QString serverId; // for the access log only (server_id=...)
};

// Called on the io thread that read the request; may block (e.g. on the database), which
// holds up the other connections of that thread only. Must not throw (an exception is
// answered with 500 and logged).
using Handler = std::function<HttpResponse(const HttpRequest &)>;

} // namespace imprint::service
