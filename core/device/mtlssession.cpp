#include "device/mtlssession.h"

#include "common/logging.h"

#include <QSslKey>

namespace imprint::device {

MtlsSession::MtlsSession(QString storeDirectory, QObject *parent)
    : QObject(parent), m_store(std::move(storeDirectory))
{
}

Result<bool> MtlsSession::refresh()
{
    const QByteArray generation = m_store.generationToken();
    if (!m_generation.isEmpty() && generation == m_generation)
        return false;
    auto credentials = m_store.load();
    if (!credentials)
        return credentials.error();
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setCaCertificates(QSslCertificate::fromData(credentials->caPem, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(credentials->key.toPem(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey));
    configuration.setLocalCertificate(QSslCertificate(credentials->certificatePem, QSsl::Pem));
    const bool changed = !m_generation.isEmpty();
    m_configuration = configuration;
    m_generation = credentials->generation;
    m_serial = credentials->certificate.serialHex();
    if (changed) {
        // Kept-alive connections still speak with the old certificate; new ones must not.
        m_network.clearConnectionCache();
        qCInfo(lcDevice).noquote() << "event=credentials_reloaded serial=" + m_serial;
        emit credentialsChanged(m_serial);
    }
    return true;
}

Result<QNetworkRequest> MtlsSession::request(const QUrl &url)
{
    auto refreshed = refresh();
    if (!refreshed)
        return refreshed.error();
    QNetworkRequest request(url);
    request.setSslConfiguration(m_configuration);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    return request;
}

} // namespace imprint::device
