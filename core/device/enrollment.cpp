#include "device/enrollment.h"

#include "common/logging.h"
#include "crypto/csr.h"
#include "crypto/privatekey.h"
#include "device/credentialstore.h"
#include "device/issuedcredentials.h"
#include "device/serviceclient.h"
#include "protocol/codec.h"
#include "protocol/endpoints.h"

namespace imprint::device {

QString stepText(Enrollment::Step step)
{
    switch (step) {
    case Enrollment::Step::CheckingService: return QStringLiteral("checking the service's identity");
    case Enrollment::Step::GeneratingKey: return QStringLiteral("generating a P-256 key");
    case Enrollment::Step::CreatingRequest: return QStringLiteral("creating the certificate request");
    case Enrollment::Step::Sending: return QStringLiteral("sending the enrollment request");
    case Enrollment::Step::Saving: return QStringLiteral("saving the credentials");
    case Enrollment::Step::Done: return QStringLiteral("enrolled");
    }
    return {};
}

Enrollment::Enrollment(EnrollmentOptions options, QObject *parent) : QObject(parent), m_options(std::move(options)) {}

Enrollment::~Enrollment() = default;

void Enrollment::start()
{
    if (m_options.buildSecret.isEmpty()) {
        finish(DeviceError::make(DeviceError::Kind::Local, QStringLiteral("no build secret was given")));
        return;
    }
    emit stepChanged(Step::CheckingService);
    m_probe = new TrustProbe(m_options.url, m_options.trust, this);
    connect(m_probe, &TrustProbe::finished, this, [this] {
        const auto trust = m_probe->result();
        m_probe->deleteLater();
        if (!trust) {
            finish(trust.error());
            return;
        }
        lockStore(trust.value());
    });
    m_probe->start();
}

void Enrollment::lockStore(const ServiceTrust &trust)
{
    if (m_result)
        return;
    m_lock = std::make_unique<OperationLock>(m_options.storeDirectory);
    connect(m_lock.get(), &OperationLock::acquired, this, [this, trust] { send(trust); });
    connect(m_lock.get(), &OperationLock::failed, this,
            [this](const QString &message) { finish(DeviceError::make(DeviceError::Kind::Local, message)); });
    m_lock->acquire();
}

void Enrollment::send(const ServiceTrust &trust)
{
    if (m_result)
        return;
    emit stepChanged(Step::GeneratingKey);
    auto key = crypto::PrivateKey::generateP256();
    if (!key) {
        finish(DeviceError::make(DeviceError::Kind::Local, key.errorMessage()));
        return;
    }
    emit stepChanged(Step::CreatingRequest);
    // The service copies nothing but the key from the CSR (section 4); a fixed subject
    // avoids the 64-character limit of a CN that a long host name would exceed.
    auto csr = crypto::createCsr(key.value(), QStringLiteral("imprint-device"));
    if (!csr) {
        finish(DeviceError::make(DeviceError::Kind::Local, csr.errorMessage()));
        return;
    }
    protocol::EnrollRequest request;
    request.buildSecret = QString::fromUtf8(m_options.buildSecret);
    request.fingerprint = m_options.fingerprint;
    request.hostname = m_options.hostname;
    request.os = m_options.os;
    request.arch = m_options.arch;
    request.csr = QString::fromLatin1(csr.value());

    emit stepChanged(Step::Sending);
    m_client = new ServiceClient(m_options.url, this);
    m_client->setTrustedCas(trust.caCertificates);
    m_client->send("POST", QString(protocol::kEnrollPath), protocol::encode(request),
                   [this, key = std::make_shared<crypto::PrivateKey>(std::move(key).value()),
                    trust](DeviceResult<HttpAnswer> answer) {
                       if (!answer) {
                           finish(answer.error());
                           return;
                       }
                       if (answer->status != 200) {
                           finish(httpError(answer.value()));
                           return;
                       }
                       auto issued = acceptIssuedCredentials(answer->body, *key, {}, trust.caCertificates);
                       if (!issued) {
                           finish(issued.error());
                           return;
                       }
                       if (m_result)
                           return; // cancelled while the answer was on its way: keep the old store
                       emit stepChanged(Step::Saving);
                       CredentialStore store(m_options.storeDirectory);
                       if (Status saved = store.save(*key, issued->certificatePem, issued->caPem,
                                                     {issued->serverId, m_options.fingerprint});
                           !saved) {
                           finish(DeviceError::make(DeviceError::Kind::Local, saved.errorMessage()));
                           return;
                       }
                       qCInfo(lcDevice).noquote() << "event=enrolled server_id=" + issued->serverId
                                                  << "serial=" + issued->certificate.serialHex();
                       emit stepChanged(Step::Done);
                       finish(EnrollmentResult{issued->serverId, issued->certificate, m_options.storeDirectory, trust});
                   });
}

void Enrollment::cancel()
{
    if (m_probe)
        m_probe->cancel();
    if (m_client)
        m_client->abortAll();
    finish(DeviceError::make(DeviceError::Kind::Cancelled, QStringLiteral("enrollment cancelled")));
}

void Enrollment::finish(DeviceResult<EnrollmentResult> result)
{
    if (m_result)
        return;
    if (m_lock)
        m_lock->release();
    m_result = std::move(result);
    emit finished();
}

} // namespace imprint::device
