#pragma once

#include "device/deviceerror.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrl>

#include <chrono>
#include <functional>

namespace imprint::device {

// An HTTP answer of the service, already limited to the protocol's 1 MiB.
struct HttpAnswer {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names in lower case
};

// The device's HTTPS client for the service: QNetworkAccessManager with the trust and
// (optionally) the client identity of this device, a timeout, a response size cap, and
// every failure mapped onto a DeviceError. Runs on the thread's event loop; never blocks.
class ServiceClient : public QObject {
    Q_OBJECT

public:
    explicit ServiceClient(QUrl baseUrl, QObject *parent = nullptr);

    // The CA certificates to trust; empty means the system roots.
    void setTrustedCas(const QList<QSslCertificate> &cas);
    // The device key and certificate for mutual TLS.
    void setClientIdentity(const QSslKey &key, const QSslCertificate &certificate);
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    using Callback = std::function<void(DeviceResult<HttpAnswer>)>;

    // Sends `method path` with a JSON body; `done` runs exactly once on this object's
    // thread (with Cancelled after abortAll()); never after this object is destroyed.
    // HTTP error statuses are answers here, not errors: the caller decides.
    void send(const QByteArray &method, const QString &path, const QByteArray &body, Callback done);

    void abortAll();

    static constexpr qint64 kMaxResponseBytes = qint64(1) << 20;

private:
    QUrl m_baseUrl;
    QNetworkAccessManager m_network;
    QSslConfiguration m_configuration;
    std::chrono::milliseconds m_timeout{30000};
};

// The error a non-2xx answer stands for, with the service's own message.
DeviceError httpError(const HttpAnswer &answer);

} // namespace imprint::device
