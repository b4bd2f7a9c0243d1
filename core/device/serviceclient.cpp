#include "device/serviceclient.h"

#include "protocol/codec.h"

#include <QNetworkReply>
#include <QPointer>

namespace imprint::device {

ServiceClient::ServiceClient(QUrl baseUrl, QObject *parent)
    : QObject(parent), m_baseUrl(std::move(baseUrl)), m_configuration(QSslConfiguration::defaultConfiguration())
{
    m_configuration.setProtocol(QSsl::TlsV1_2OrLater);
    // HTTP/2 would be fine, but Qt's HTTP/2 over TLS shares connections in ways that make
    // switching client certificates less predictable; the protocol is plain HTTP/1.1.
    m_network.setAutoDeleteReplies(false);
}

void ServiceClient::setTrustedCas(const QList<QSslCertificate> &cas)
{
    if (!cas.isEmpty())
        m_configuration.setCaCertificates(cas);
}

void ServiceClient::setClientIdentity(const QSslKey &key, const QSslCertificate &certificate)
{
    m_configuration.setPrivateKey(key);
    m_configuration.setLocalCertificate(certificate);
}

void ServiceClient::send(const QByteArray &method, const QString &path, const QByteArray &body, Callback done)
{
    QUrl url = m_baseUrl;
    url.setPath(path);
    QNetworkRequest request(url);
    request.setSslConfiguration(m_configuration);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(int(m_timeout.count()));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("imprint/" IMPRINT_VERSION));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);

    auto tlsProblems = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, reply, [tlsProblems](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            *tlsProblems << error.errorString();
    });
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxResponseBytes) {
            reply->setProperty("imprint.tooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done), tlsProblems, this] {
        reply->deleteLater();
        const QString where = m_baseUrl.authority();
        if (reply->property("imprint.tooLarge").toBool()) {
            done(DeviceError::make(DeviceError::Kind::MalformedResponse,
                                   QStringLiteral("the answer of %1 is larger than 1 MiB").arg(where)));
            return;
        }
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (reply->error() != QNetworkReply::NoError && !status.isValid()) {
            using E = QNetworkReply::NetworkError;
            DeviceError::Kind kind = DeviceError::Kind::Network;
            QString message = reply->errorString();
            switch (reply->error()) {
            case E::OperationCanceledError:
                // A transfer timeout also ends as "cancelled" in Qt.
                kind = reply->property("imprint.aborted").toBool() ? DeviceError::Kind::Cancelled
                                                                   : DeviceError::Kind::Timeout;
                if (kind == DeviceError::Kind::Timeout)
                    message = QStringLiteral("no answer within %1 s").arg(m_timeout.count() / 1000);
                break;
            case E::TimeoutError: kind = DeviceError::Kind::Timeout; break;
            case E::SslHandshakeFailedError:
                kind = DeviceError::Kind::Tls;
                if (!tlsProblems->isEmpty())
                    message = QStringLiteral("the service is not trusted: ") + tlsProblems->join(QStringLiteral("; "));
                break;
            default: break;
            }
            done(DeviceError::make(kind, QStringLiteral("%1: %2").arg(where, message)));
            return;
        }
        HttpAnswer answer;
        answer.status = status.toInt();
        answer.body = reply->read(kMaxResponseBytes + 1);
        if (answer.body.size() > kMaxResponseBytes) {
            done(DeviceError::make(DeviceError::Kind::MalformedResponse,
                                   QStringLiteral("the answer of %1 is larger than 1 MiB").arg(where)));
            return;
        }
        for (const auto &[name, value] : reply->rawHeaderPairs())
            answer.headers.insert(name.toLower(), value);
        done(std::move(answer));
    });
}

void ServiceClient::abortAll()
{
    for (QNetworkReply *reply : m_network.findChildren<QNetworkReply *>()) {
        reply->setProperty("imprint.aborted", true);
        reply->abort();
    }
}

DeviceError httpError(const HttpAnswer &answer)
{
    DeviceError error = DeviceError::make(
        DeviceError::Kind::Http, QStringLiteral("the service answered %1: %2")
                                     .arg(answer.status)
                                     .arg(protocol::describeErrorBody(answer.body)));
    error.httpStatus = answer.status;
    return error;
}

} // namespace imprint::device
