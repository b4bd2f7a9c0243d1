#pragma once

#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "device/deviceerror.h"

#include <QByteArray>
#include <QList>
#include <QSslCertificate>

namespace imprint::device {

struct IssuedCredentials {
    QString serverId;
    crypto::Certificate certificate;
    QByteArray certificatePem;
    QByteArray caPem;
};

// Checks a 200 answer of enroll, renew or challenge renew before anything is saved: it
// decodes, the certificate is for `key`, names the server_id (and `expectedServerId` when
// given), has the clientAuth EKU, and was issued by the returned CA, which must be one the
// device already trusts (`trusted`; empty when trusting the system roots).
DeviceResult<IssuedCredentials> acceptIssuedCredentials(const QByteArray &body, const crypto::PrivateKey &key,
                                                        const QString &expectedServerId,
                                                        const QList<QSslCertificate> &trusted);

} // namespace imprint::device
