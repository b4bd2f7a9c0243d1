#pragma once

#include "common/result.h"
#include "device/credentialstore.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QSslConfiguration>

namespace imprint::device {

// Mutual TLS for the application: a QNetworkAccessManager whose requests carry this
// device's current credentials and trust only the stored CA. When the credentials change,
// whether renewed in this process or by another process writing the same store, the next
// request() notices (a few stat calls), loads the new set and drops cached connections so
// that new connections present the new certificate. No restart needed.
class MtlsSession : public QObject {
    Q_OBJECT

public:
    explicit MtlsSession(QString storeDirectory, QObject *parent = nullptr);

    // A request for `url` configured with the current credentials; an error when the
    // store cannot be loaded.
    Result<QNetworkRequest> request(const QUrl &url);

    // The manager to send the requests with.
    QNetworkAccessManager *network() { return &m_network; }

    // The serial of the certificate the last request() used.
    QString currentSerial() const { return m_serial; }

    // Loads the store now if it changed since the last load; returns whether it did.
    Result<bool> refresh();

signals:
    void credentialsChanged(const QString &serial);

private:
    CredentialStore m_store;
    QNetworkAccessManager m_network;
    QSslConfiguration m_configuration;
    QByteArray m_generation;
    QString m_serial;
};

} // namespace imprint::device
