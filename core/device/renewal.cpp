#include "device/renewal.h"

#include "common/logging.h"
#include "crypto/csr.h"
#include "crypto/proof.h"
#include "device/credentialstore.h"
#include "device/issuedcredentials.h"
#include "device/serviceclient.h"
#include "protocol/codec.h"
#include "protocol/endpoints.h"

#include <QSslKey>

namespace imprint::device {

Renewal::Renewal(Options options, QObject *parent) : QObject(parent), m_options(std::move(options)) {}

void Renewal::start()
{
    // The store is read under the lock: a renewal that waited for another process's
    // renewal or enrollment starts from the credentials that one saved.
    m_lock = std::make_unique<OperationLock>(m_options.storeDirectory);
    connect(m_lock.get(), &OperationLock::acquired, this, &Renewal::send);
    connect(m_lock.get(), &OperationLock::failed, this,
            [this](const QString &message) { finish(DeviceError::make(DeviceError::Kind::Local, message)); });
    m_lock->acquire();
}

void Renewal::send()
{
    if (m_result)
        return;
    const CredentialStore store(m_options.storeDirectory);
    auto credentials = store.load();
    if (!credentials) {
        finish(DeviceError::make(DeviceError::Kind::Local, credentials.errorMessage()));
        return;
    }
    const QString serverId = credentials->enrollment.serverId;
    auto key = crypto::PrivateKey::generateP256();
    if (!key) {
        finish(DeviceError::make(DeviceError::Kind::Local, key.errorMessage()));
        return;
    }
    auto csr = crypto::createCsr(key.value(), serverId);
    if (!csr) {
        finish(DeviceError::make(DeviceError::Kind::Local, csr.errorMessage()));
        return;
    }

    const QList<QSslCertificate> trusted = QSslCertificate::fromData(credentials->caPem, QSsl::Pem);
    m_client = new ServiceClient(m_options.url, this);
    m_client->setTrustedCas(trusted);
    QByteArray body;
    QString path;
    if (m_options.tier == Tier::Renew) {
        m_client->setClientIdentity(QSslKey(credentials->key.toPem(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey),
                                    QSslCertificate(credentials->certificatePem, QSsl::Pem));
        body = protocol::encode(protocol::RenewRequest{QString::fromLatin1(csr.value())});
        path = QString(protocol::kRenewPath);
    } else {
        if (m_options.fingerprint.isEmpty()) {
            finish(DeviceError::make(DeviceError::Kind::Local,
                                     QStringLiteral("challenge renewal needs this machine's fingerprint")));
            return;
        }
        auto proof = crypto::signProof(credentials->key, serverId, m_options.fingerprint, csr.value());
        if (!proof) {
            finish(DeviceError::make(DeviceError::Kind::Local, proof.errorMessage()));
            return;
        }
        protocol::ChallengeRenewRequest request;
        request.serverId = serverId;
        request.fingerprint = m_options.fingerprint;
        request.expiredCert = QString::fromLatin1(credentials->certificatePem);
        request.csr = QString::fromLatin1(csr.value());
        request.proof = QString::fromLatin1(proof.value());
        body = protocol::encode(request);
        path = QString(protocol::kChallengeRenewPath);
    }

    m_client->send("POST", path, body,
                   [this, key = std::make_shared<crypto::PrivateKey>(std::move(key).value()), serverId, trusted,
                    fingerprint = credentials->enrollment.fingerprint](DeviceResult<HttpAnswer> answer) {
                       if (!answer) {
                           finish(answer.error());
                           return;
                       }
                       if (answer->status != 200) {
                           finish(httpError(answer.value()));
                           return;
                       }
                       auto issued = acceptIssuedCredentials(answer->body, *key, serverId, trusted);
                       if (!issued) {
                           finish(issued.error());
                           return;
                       }
                       if (m_result)
                           return;
                       CredentialStore target(m_options.storeDirectory);
                       if (Status saved = target.save(*key, issued->certificatePem, issued->caPem, {serverId, fingerprint});
                           !saved) {
                           finish(DeviceError::make(DeviceError::Kind::Local, saved.errorMessage()));
                           return;
                       }
                       qCInfo(lcDevice).noquote()
                           << (m_options.tier == Tier::Renew ? "event=renewed" : "event=challenge_renewed")
                           << "server_id=" + serverId << "serial=" + issued->certificate.serialHex();
                       finish(issued->certificate);
                   });
}

void Renewal::cancel()
{
    if (m_client)
        m_client->abortAll();
    finish(DeviceError::make(DeviceError::Kind::Cancelled, QStringLiteral("renewal cancelled")));
}

void Renewal::finish(DeviceResult<crypto::Certificate> result)
{
    if (m_result)
        return;
    if (m_lock)
        m_lock->release();
    m_result = std::move(result);
    emit finished();
}

} // namespace imprint::device
