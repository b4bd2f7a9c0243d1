#include "device/issuedcredentials.h"

#include "protocol/codec.h"

namespace imprint::device {

DeviceResult<IssuedCredentials> acceptIssuedCredentials(const QByteArray &body, const crypto::PrivateKey &key,
                                                        const QString &expectedServerId,
                                                        const QList<QSslCertificate> &trusted)
{
    auto malformed = [](const QString &what) {
        return DeviceError::make(DeviceError::Kind::MalformedResponse,
                                 QStringLiteral("the service's answer is not usable: ") + what);
    };
    auto response = protocol::decodeEnrollResponse(body);
    if (!response)
        return malformed(response.errorMessage());
    auto certificate = crypto::Certificate::fromPem(response->certificate.toUtf8());
    if (!certificate)
        return malformed(QStringLiteral("certificate: ") + certificate.errorMessage());
    auto ca = crypto::Certificate::fromPem(response->caCertificate.toUtf8());
    if (!ca)
        return malformed(QStringLiteral("ca_certificate: ") + ca.errorMessage());
    if (!certificate->publicKey().equals(key.publicKey()))
        return malformed(QStringLiteral("the certificate is not for the key this device sent"));
    if (certificate->subjectCommonName() != response->serverId)
        return malformed(QStringLiteral("the certificate names %1, not server_id %2")
                             .arg(certificate->subjectCommonName(), response->serverId));
    if (!expectedServerId.isEmpty() && response->serverId != expectedServerId)
        return malformed(QStringLiteral("server_id changed from %1 to %2").arg(expectedServerId, response->serverId));
    if (!certificate->hasExtendedKeyUsageClientAuth())
        return malformed(QStringLiteral("the certificate lacks the clientAuth usage"));
    if (!certificate->isSignedBy(ca.value()))
        return malformed(QStringLiteral("the certificate was not issued by the returned CA"));
    if (!trusted.isEmpty()) {
        bool known = false;
        for (const QSslCertificate &anchor : trusted)
            known |= anchor.toDer() == ca->toDer();
        if (!known)
            return malformed(QStringLiteral("the returned CA is not the CA this device trusts"));
    }
    return IssuedCredentials{response->serverId, certificate.value(), certificate->toPem(), ca->toPem()};
}

} // namespace imprint::device
