#pragma once

#include "device/deviceerror.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslSocket>
#include <QUrl>

#include <chrono>
#include <optional>

namespace imprint::device {

// How a device decides to trust the service before it has a CA of its own, in order of
// preference: a pin of the CA certificate, a CA file, or the system's roots.
struct TrustOptions {
    QString caPin;  // "sha256:<hex of the CA certificate DER>", as `imprint ca show` prints
    QString caFile; // a PEM file with the CA certificate
};

// What the first contact established: the certificates to trust from now on (empty means
// the system roots) and, for display, who the service says it is.
struct ServiceTrust {
    QList<QSslCertificate> caCertificates;
    QString caSubject;
    QString caPin;
    QString serviceSubject;
};

// "sha256:<lowercase hex>" of a certificate's DER.
QString certificatePin(const QSslCertificate &certificate);

// Connects to the service once, without sending anything, and establishes trust: with a
// pin, the service's chain must contain the pinned certificate and the server certificate
// must be signed by it; with a CA file or the system roots, the chain must verify. The
// real requests that follow verify the service normally against the result.
class TrustProbe : public QObject {
    Q_OBJECT

public:
    TrustProbe(QUrl url, TrustOptions options, QObject *parent = nullptr);

    void start();
    void cancel();
    bool isFinished() const { return m_result.has_value(); }
    const DeviceResult<ServiceTrust> &result() const { return *m_result; }

    std::chrono::milliseconds timeout{30000};

signals:
    void finished();

private:
    void finish(DeviceResult<ServiceTrust> result);
    void onEncrypted();
    DeviceResult<QList<QSslCertificate>> configuredCas() const;

    QUrl m_url;
    TrustOptions m_options;
    QList<QSslCertificate> m_configuredCas; // from the CA file, read once by start()
    QPointer<QSslSocket> m_socket;
    std::optional<DeviceResult<ServiceTrust>> m_result;
};

} // namespace imprint::device
