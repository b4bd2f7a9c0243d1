#include "support/tlstestclient.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace imprint::testing {

QByteArray HttpTestResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool HttpTestResponse::hasHeader(const QByteArray &name) const
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

TlsTestClient::TlsTestClient(const QString &caCertificatePath, const QString &clientCertificatePath,
                             const QString &clientKeyPath)
    : m_configuration(QSslConfiguration::defaultConfiguration())
{
    m_configuration.setCaCertificates(QSslCertificate::fromPath(caCertificatePath));
    m_configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!clientCertificatePath.isEmpty()) {
        const auto certificates = QSslCertificate::fromPath(clientCertificatePath);
        if (!certificates.isEmpty())
            m_configuration.setLocalCertificate(certificates.first());
        QFile keyFile(clientKeyPath);
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray pem = keyFile.readAll();
            QSslKey key(pem, QSsl::Ec);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Rsa);
            m_configuration.setPrivateKey(key);
        }
    }
}

bool TlsTestClient::connectTo(quint16 port, int timeoutMs)
{
    m_buffer.clear();
    m_socket.setSslConfiguration(m_configuration);
    m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    if (!m_socket.waitForEncrypted(timeoutMs)) {
        m_error = m_socket.errorString();
        return false;
    }
    return true;
}

bool TlsTestClient::send(const QByteArray &data, int timeoutMs)
{
    if (m_socket.write(data) != data.size()) {
        m_error = m_socket.errorString();
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.encryptedBytesToWrite() > 0 || m_socket.bytesToWrite() > 0) {
        if (!m_socket.waitForBytesWritten(int(deadline.remainingTime()))) {
            m_error = m_socket.errorString();
            return false;
        }
    }
    return true;
}

std::optional<HttpTestResponse> TlsTestClient::parseBuffered(bool head, bool &needMore)
{
    needMore = true;
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HttpTestResponse response;
    const QList<QByteArray> lines = m_buffer.left(end).split('\n');
    response.statusLine = lines.first().trimmed();
    const QList<QByteArray> parts = response.statusLine.split(' ');
    response.status = parts.size() >= 2 ? parts.at(1).toInt() : 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            response.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    qsizetype length = 0;
    if (!head && response.status >= 200 && response.status != 204 && response.status != 304)
        length = response.header("Content-Length").toLongLong();
    if (m_buffer.size() < end + 4 + length)
        return std::nullopt;
    response.body = m_buffer.mid(end + 4, length);
    m_buffer.remove(0, end + 4 + length);
    needMore = false;
    return response;
}

std::optional<HttpTestResponse> TlsTestClient::readResponse(int timeoutMs, bool head)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        bool needMore = true;
        if (auto response = parseBuffered(head, needMore))
            return response;
        if (deadline.hasExpired()) {
            m_error = QStringLiteral("timed out waiting for a response");
            return std::nullopt;
        }
        const bool more = m_socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        m_buffer += m_socket.readAll();
        if (!more && m_socket.state() != QAbstractSocket::ConnectedState) {
            if (auto response = parseBuffered(head, needMore))
                return response;
            m_error = QStringLiteral("connection closed before a complete response: ") + m_socket.errorString();
            return std::nullopt;
        }
    }
}

std::optional<HttpTestResponse> TlsTestClient::request(const QByteArray &request, int timeoutMs)
{
    if (!send(request, timeoutMs))
        return std::nullopt;
    return readResponse(timeoutMs, request.startsWith("HEAD "));
}

bool TlsTestClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QDeadlineTimer deadline(timeoutMs);
    while (m_socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        // waitForDisconnected() returns early on readable data (e.g. close_notify); keep going.
        m_socket.waitForDisconnected(int(std::max<qint64>(1, deadline.remainingTime())));
        m_buffer += m_socket.readAll();
    }
    return m_socket.state() == QAbstractSocket::UnconnectedState;
}

bool TlsTestClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

} // namespace imprint::testing
