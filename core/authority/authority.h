#pragma once

#include "authority/certificateauthority.h"
#include "authority/outcome.h"
#include "common/clock.h"
#include "crypto/certificate.h"
#include "protocol/messages.h"
#include "storage/records.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace imprint::storage {
class Registry;
class LastSeenRecorder;
} // namespace imprint::storage

namespace imprint::authority {

using namespace std::chrono_literals;

struct AuthorityConfig {
    QList<QByteArray> buildSecrets;
    std::chrono::seconds validity = 365 * 24h;
    std::chrono::seconds challengeWindow = 30 * 24h;
};

// What the transport knows about a request: where it came from and the client
// certificate that the TLS layer verified against the CA (absent when none was given).
struct RequestContext {
    QString remoteAddress;
    std::optional<crypto::Certificate> peerCertificate;
};

// A request that passed the mTLS guard: the device it belongs to and its certificate.
struct GuardedDevice {
    storage::DeviceRecord device;
    crypto::Certificate certificate;
};

// The enrollment authority of PROTOCOL.md section 3 as pure logic: typed requests in,
// typed responses or refusals out. It knows nothing of HTTP or threads; the registry is
// passed per call because each worker thread owns its own database connection.
class Authority {
public:
    Authority(std::shared_ptr<const CertificateAuthority> ca, AuthorityConfig config, const Clock &clock,
              storage::LastSeenRecorder *lastSeen = nullptr);

    Outcome<protocol::EnrollResponse> enroll(storage::Registry &registry, const protocol::EnrollRequest &request,
                                             const RequestContext &context) const;

    // Tier 1: the caller already passed guard().
    Outcome<protocol::EnrollResponse> renew(storage::Registry &registry, const protocol::RenewRequest &request,
                                            const GuardedDevice &caller, const RequestContext &context) const;

    // Tier 2: every failure is the same 401 "challenge renewal failed".
    Outcome<protocol::EnrollResponse> challengeRenew(storage::Registry &registry,
                                                     const protocol::ChallengeRenewRequest &request,
                                                     const RequestContext &context) const;

    // The mTLS guard: every failure is a bare 401. Notes last-seen time in memory only.
    Outcome<GuardedDevice> guard(storage::Registry &registry, const RequestContext &context) const;

    const CertificateAuthority &ca() const { return *m_ca; }
    const AuthorityConfig &config() const { return m_config; }

private:
    std::shared_ptr<const CertificateAuthority> m_ca;
    AuthorityConfig m_config;
    const Clock &m_clock;
    storage::LastSeenRecorder *m_lastSeen;
};

} // namespace imprint::authority
