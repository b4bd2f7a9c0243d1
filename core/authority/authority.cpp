#include "authority/authority.h"

#include "authority/deviceattributes.h"
#include "authority/serverid.h"
#include "common/logging.h"
#include "crypto/constanttime.h"
#include "crypto/csr.h"
#include "crypto/keypolicy.h"
#include "crypto/proof.h"
#include "storage/lastseenrecorder.h"
#include "storage/registry.h"

namespace imprint::authority {

namespace {

using protocol::ErrorKind;
using storage::WriteOutcome;

// A re-read and retry after losing a race to another writer; more than a few in a row
// means something other than a race is wrong.
constexpr int kMaxWriteAttempts = 4;

const QString kChallengeFailed = QStringLiteral("challenge renewal failed");
const QString kUnauthorized = QStringLiteral("unauthorized");

Refusal refuse(ErrorKind kind, QString clientMessage, QString logReason = {})
{
    if (logReason.isEmpty())
        logReason = clientMessage;
    return Refusal{kind, std::move(clientMessage), std::move(logReason)};
}

Refusal internalError(const QString &what)
{
    qCWarning(lcAuthority).noquote() << "event=internal_error detail=" + what;
    return refuse(ErrorKind::Internal, QStringLiteral("internal error"), what);
}

// The CSR checks shared by every issuing path: it parses, its signature holds, and its key
// is one we issue for. Failures are the client's fault (400), not ours (500).
Result<crypto::PublicKey> acceptableCsrKey(const QString &csrPem)
{
    auto csr = crypto::Csr::parse(csrPem.toUtf8());
    if (!csr)
        return Result<crypto::PublicKey>::failure(QStringLiteral("invalid CSR: ") + csr.errorMessage());
    crypto::PublicKey key = csr->publicKey();
    if (Status allowed = crypto::checkIssuanceKey(key); !allowed)
        return Result<crypto::PublicKey>::failure(QStringLiteral("invalid CSR: ") + allowed.errorMessage());
    return key;
}

storage::CertificateRecord certificateRecord(const crypto::Certificate &certificate, const QString &serverId,
                                             storage::IssuedHow how, const QDateTime &now)
{
    storage::CertificateRecord record;
    record.serial = certificate.serialHex();
    record.serverId = serverId;
    record.notBefore = certificate.notBefore();
    record.notAfter = certificate.notAfter();
    record.issuedAt = now;
    record.how = how;
    return record;
}

storage::EventRecord event(const QDateTime &now, const QString &serverId, const QString &kind,
                           const QString &address, const QString &detail = {})
{
    storage::EventRecord record;
    record.at = now;
    record.serverId = serverId;
    record.kind = kind;
    record.actor = QStringLiteral("device");
    record.address = address;
    record.detail = detail;
    return record;
}

protocol::EnrollResponse response(const QString &serverId, const crypto::Certificate &certificate,
                                  const CertificateAuthority &ca)
{
    protocol::EnrollResponse out;
    out.serverId = serverId;
    out.certificate = QString::fromLatin1(certificate.toPem());
    out.caCertificate = QString::fromLatin1(ca.certificate().toPem());
    return out;
}

} // namespace

Authority::Authority(std::shared_ptr<const CertificateAuthority> ca, AuthorityConfig config, const Clock &clock,
                     storage::LastSeenRecorder *lastSeen)
    : m_ca(std::move(ca)), m_config(std::move(config)), m_clock(clock), m_lastSeen(lastSeen)
{
}

Outcome<protocol::EnrollResponse> Authority::enroll(storage::Registry &registry,
                                                    const protocol::EnrollRequest &request,
                                                    const RequestContext &context) const
{
    const QDateTime now = m_clock.now();
    // Before anything is recorded: even a refused attempt's event names the fingerprint.
    if (Status attributes = checkDeviceAttributes(request); !attributes)
        return refuse(ErrorKind::BadRequest, attributes.errorMessage());
    if (!crypto::secretMatchesAny(request.buildSecret.toUtf8(), m_config.buildSecrets)) {
        (void)registry.recordEvent(event(now, {}, QStringLiteral("rejected_enroll"), context.remoteAddress,
                                         QStringLiteral("unknown build secret; fingerprint=") + request.fingerprint));
        return refuse(ErrorKind::Unauthorized, QStringLiteral("unknown build secret"));
    }
    auto key = acceptableCsrKey(request.csr);
    if (!key)
        return refuse(ErrorKind::BadRequest, key.errorMessage());

    for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
        auto existing = registry.deviceByFingerprint(request.fingerprint);
        if (!existing)
            return internalError(existing.errorMessage());
        const std::optional<storage::DeviceRecord> &known = existing.value();
        if (known && known->status == storage::DeviceStatus::Revoked) {
            (void)registry.recordEvent(event(now, known->serverId, QStringLiteral("rejected_enroll"),
                                             context.remoteAddress, QStringLiteral("device is revoked")));
            return refuse(ErrorKind::Forbidden, QStringLiteral("device is revoked"));
        }

        QString serverId;
        if (known) {
            serverId = known->serverId;
        } else {
            auto fresh = newServerId();
            if (!fresh)
                return internalError(fresh.errorMessage());
            serverId = fresh.value();
        }
        auto certificate = m_ca->issueDeviceCertificate(key.value(), serverId, m_config.validity, now);
        if (!certificate)
            return internalError(certificate.errorMessage());

        storage::DeviceRecord device = known.value_or(storage::DeviceRecord{});
        device.serverId = serverId;
        device.fingerprint = request.fingerprint;
        device.hostname = request.hostname;
        device.os = request.os;
        device.arch = request.arch;
        if (!known) {
            device.status = storage::DeviceStatus::Active;
            device.enrolledAt = now;
        }
        device.currentSerial = certificate->serialHex();
        device.currentNotAfter = certificate->notAfter();
        device.lastAddress = context.remoteAddress;
        device.lastSeenAt = now;
        const auto how = known ? storage::IssuedHow::Reenroll : storage::IssuedHow::Enroll;
        const QString kind = known ? QStringLiteral("reenroll") : QStringLiteral("enroll");
        auto written = registry.recordEnrollment(
            device, certificateRecord(certificate.value(), serverId, how, now), !known,
            event(now, serverId, kind, context.remoteAddress, QStringLiteral("serial=") + device.currentSerial));
        if (!written)
            return internalError(written.errorMessage());
        switch (written.value()) {
        case WriteOutcome::Done:
            qCInfo(lcAuthority).noquote() << "event=" + kind << "server_id=" + serverId
                                          << "serial=" + device.currentSerial << "remote=" + context.remoteAddress;
            return response(serverId, certificate.value(), *m_ca);
        case WriteOutcome::Revoked:
            return refuse(ErrorKind::Forbidden, QStringLiteral("device is revoked"));
        case WriteOutcome::Conflict:
        case WriteOutcome::NotFound:
        case WriteOutcome::Superseded:
            // Another process enrolled or deleted this fingerprint meanwhile: decide again.
            continue;
        }
    }
    return internalError(QStringLiteral("enrollment kept conflicting with concurrent writers"));
}

Outcome<GuardedDevice> Authority::guard(storage::Registry &registry, const RequestContext &context) const
{
    auto deny = [&](const QString &reason) {
        qCInfo(lcAuthority).noquote() << "event=guard_denied reason=" + reason << "remote=" + context.remoteAddress;
        return refuse(ErrorKind::Unauthorized, kUnauthorized, reason);
    };
    if (!context.peerCertificate)
        return deny(QStringLiteral("no client certificate"));
    const crypto::Certificate &certificate = *context.peerCertificate;
    const QDateTime now = m_clock.now();
    // The TLS layer checked validity at handshake time; a kept-alive connection can outlive it.
    if (now < certificate.notBefore() || now > certificate.notAfter())
        return deny(QStringLiteral("client certificate is not valid now"));
    const QString serverId = certificate.subjectCommonName();
    auto found = registry.deviceByServerId(serverId);
    if (!found)
        return internalError(found.errorMessage());
    if (!found.value())
        return deny(QStringLiteral("unknown device ") + serverId);
    const storage::DeviceRecord &device = *found.value();
    if (device.status != storage::DeviceStatus::Active)
        return deny(QStringLiteral("device %1 is %2").arg(serverId, storage::toString(device.status)));
    if (device.currentSerial != certificate.serialHex())
        return deny(QStringLiteral("serial %1 of %2 is superseded").arg(certificate.serialHex(), serverId));
    if (m_lastSeen)
        m_lastSeen->note(serverId, now, context.remoteAddress);
    return GuardedDevice{device, certificate};
}

Outcome<protocol::EnrollResponse> Authority::renew(storage::Registry &registry, const protocol::RenewRequest &request,
                                                   const GuardedDevice &caller, const RequestContext &context) const
{
    const QDateTime now = m_clock.now();
    auto key = acceptableCsrKey(request.csr);
    if (!key)
        return refuse(ErrorKind::BadRequest, key.errorMessage());
    const QString &serverId = caller.device.serverId;
    auto certificate = m_ca->issueDeviceCertificate(key.value(), serverId, m_config.validity, now);
    if (!certificate)
        return internalError(certificate.errorMessage());
    auto written = registry.recordRenewal(
        serverId, caller.certificate.serialHex(),
        certificateRecord(certificate.value(), serverId, storage::IssuedHow::Renew, now),
        event(now, serverId, QStringLiteral("renew"), context.remoteAddress,
              QStringLiteral("serial=%1 previous=%2").arg(certificate->serialHex(), caller.certificate.serialHex())));
    if (!written)
        return internalError(written.errorMessage());
    if (written.value() != WriteOutcome::Done)
        // A concurrent renewal or revocation won; this certificate no longer speaks for the device.
        return refuse(ErrorKind::Unauthorized, kUnauthorized,
                      QStringLiteral("renewal of %1 lost to a concurrent change").arg(serverId));
    qCInfo(lcAuthority).noquote() << "event=renew server_id=" + serverId << "serial=" + certificate->serialHex();
    return response(serverId, certificate.value(), *m_ca);
}

Outcome<protocol::EnrollResponse> Authority::challengeRenew(storage::Registry &registry,
                                                            const protocol::ChallengeRenewRequest &request,
                                                            const RequestContext &context) const
{
    const QDateTime now = m_clock.now();
    auto fail = [&](const QString &reason) {
        qCInfo(lcAuthority).noquote() << "event=challenge_denied reason=" + reason
                                      << "server_id=" + QString::fromLatin1(logField(request.serverId.toUtf8(), 64))
                                      << "remote=" + context.remoteAddress;
        return refuse(ErrorKind::Unauthorized, kChallengeFailed, reason);
    };

    auto parsed = crypto::Certificate::fromPem(request.expiredCert.toUtf8());
    if (!parsed)
        return fail(QStringLiteral("expired_cert does not parse: ") + parsed.errorMessage());
    const crypto::Certificate &old = parsed.value();
    // Signature and issuer name against our CA; with a CA that signs leaves directly this
    // is the whole chain, and it holds at the midpoint of the validity by construction.
    if (!old.isSignedBy(m_ca->certificate()))
        return fail(QStringLiteral("expired_cert was not issued by this CA"));
    if (!old.hasExtendedKeyUsageClientAuth())
        return fail(QStringLiteral("expired_cert lacks the clientAuth EKU"));
    if (now <= old.notAfter())
        return fail(QStringLiteral("expired_cert has not expired; use tier-1 renewal"));
    if (old.subjectCommonName() != request.serverId)
        return fail(QStringLiteral("expired_cert CN does not match server_id"));
    auto found = registry.deviceByServerId(request.serverId);
    if (!found)
        return internalError(found.errorMessage());
    if (!found.value())
        return fail(QStringLiteral("unknown device"));
    const storage::DeviceRecord &device = *found.value();
    if (device.status != storage::DeviceStatus::Active)
        return fail(QStringLiteral("device is ") + storage::toString(device.status));
    if (device.currentSerial != old.serialHex())
        return fail(QStringLiteral("expired_cert serial is not the current one"));
    if (!crypto::constantTimeEquals(device.fingerprint.toUtf8(), request.fingerprint.toUtf8()))
        return fail(QStringLiteral("fingerprint does not match the enrolled one"));
    if (old.notAfter().secsTo(now) > m_config.challengeWindow.count())
        return fail(QStringLiteral("expired longer ago than the challenge window"));
    if (Status proven = crypto::verifyProof(old.publicKey(), request.serverId, request.fingerprint,
                                            request.csr.toUtf8(), request.proof.toUtf8());
        !proven)
        return fail(QStringLiteral("proof: ") + proven.errorMessage());
    auto key = acceptableCsrKey(request.csr);
    if (!key)
        return fail(key.errorMessage());

    auto certificate = m_ca->issueDeviceCertificate(key.value(), device.serverId, m_config.validity, now);
    if (!certificate)
        return internalError(certificate.errorMessage());
    auto written = registry.recordRenewal(
        device.serverId, old.serialHex(),
        certificateRecord(certificate.value(), device.serverId, storage::IssuedHow::Challenge, now),
        event(now, device.serverId, QStringLiteral("challenge_renew"), context.remoteAddress,
              QStringLiteral("serial=%1 previous=%2").arg(certificate->serialHex(), old.serialHex())));
    if (!written)
        return internalError(written.errorMessage());
    if (written.value() != WriteOutcome::Done)
        return fail(QStringLiteral("lost to a concurrent change"));
    qCInfo(lcAuthority).noquote() << "event=challenge_renew server_id=" + device.serverId
                                  << "serial=" + certificate->serialHex();
    return response(device.serverId, certificate.value(), *m_ca);
}

} // namespace imprint::authority
