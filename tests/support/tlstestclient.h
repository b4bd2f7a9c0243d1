#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QString>

#include <optional>

namespace imprint::testing {

// One HTTP response as read off the wire by TlsTestClient.
struct HttpTestResponse {
    int status = 0;
    QByteArray statusLine; // e.g. "HTTP/1.1 200 OK"
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    // The first header of that name (case-insensitive); empty if absent.
    QByteArray header(const QByteArray &name) const;
    bool hasHeader(const QByteArray &name) const;
};

// A blocking HTTPS client on QSslSocket for transport tests: it sends raw bytes (so tests
// can send anything, including malformed or partial requests) and parses responses framed
// by Content-Length. Verifies the server against `caCertificatePath` and the name
// 127.0.0.1; presents a client certificate when one is given.
class TlsTestClient {
public:
    explicit TlsTestClient(const QString &caCertificatePath, const QString &clientCertificatePath = {},
                           const QString &clientKeyPath = {});

    // Adjust before connectTo(), e.g. the protocol or a session ticket.
    QSslConfiguration &configuration() { return m_configuration; }

    // Connects to 127.0.0.1:port and completes the handshake.
    bool connectTo(quint16 port, int timeoutMs = 10000);
    bool send(const QByteArray &data, int timeoutMs = 10000);
    // The next response; a 1xx interim response counts as one. `head`: the request was a
    // HEAD, so the response has no body whatever its Content-Length says.
    std::optional<HttpTestResponse> readResponse(int timeoutMs = 10000, bool head = false);
    // Sends `request` and reads the response.
    std::optional<HttpTestResponse> request(const QByteArray &request, int timeoutMs = 10000);
    bool waitForDisconnected(int timeoutMs);
    bool isConnected() const;
    QString errorString() const { return m_error; }
    QSslSocket &socket() { return m_socket; }

private:
    std::optional<HttpTestResponse> parseBuffered(bool head, bool &needMore);

    QSslConfiguration m_configuration;
    QSslSocket m_socket;
    QByteArray m_buffer;
    QString m_error;
};

} // namespace imprint::testing
