#pragma once

#include "authority/certificateauthority.h"
#include "common/result.h"
#include "crypto/certificate.h"

#include <QByteArray>
#include <QDateTime>
#include <QStringList>

#include <chrono>

namespace imprint::authority {

using namespace std::chrono_literals;

// The service's own TLS identity, issued by the Imprint CA so that a device trusting only
// that CA (or its pin) can connect. Kept in the CA directory as server.crt / server.key.
struct ServerCredentials {
    crypto::Certificate certificate;
    QByteArray certificateChainPem; // leaf then CA
    QByteArray privateKeyPem;
};

struct ServerCertificatePolicy {
    QStringList names;                             // DNS names and IP addresses
    std::chrono::seconds validity = 90 * 24h;
    std::chrono::seconds renewBefore = 30 * 24h;   // reissue when less than this is left
};

// The names a server certificate gets when none are given: localhost, the loopback
// addresses and this machine's host name.
QStringList defaultServerNames();

// Whether `certificate` can go on serving: issued by `ca`, carrying exactly `names`,
// and further than `renewBefore` from its expiry.
bool serverCertificateIsCurrent(const crypto::Certificate &certificate, const CertificateAuthority &ca,
                                const ServerCertificatePolicy &policy, const QDateTime &now);

// Loads server.crt/server.key from the CA directory when they are current, otherwise
// issues a fresh pair and writes it there (atomically, key 0600).
Result<ServerCredentials> ensureServerCredentials(const CertificateAuthority &ca, const ServerCertificatePolicy &policy,
                                                  const QDateTime &now);

} // namespace imprint::authority
