#include "fleetgenerator.h"

#include "storage/registry.h"

#include <QRegularExpression>

#include <random>

namespace imprint::testing {

namespace {

const char *const kSites[] = {"berlin", "hamburg", "munich", "vienna", "zurich", "lyon", "milan", "porto"};
const char *const kRoles[] = {"kiosk", "kiosk", "kiosk", "pos", "signage", "gateway", "server"};

QString hexOf(std::mt19937_64 &random, int bytes)
{
    QByteArray raw;
    for (int i = 0; i < bytes; ++i)
        raw.append(char(random() & 0xff));
    return QString::fromLatin1(raw.toHex());
}

} // namespace

Status generateFleet(storage::Registry &registry, const FleetOptions &options, const std::function<void(int)> &progress)
{
    std::mt19937_64 random(options.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const QDateTime now = options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc();
    const qint64 day = 86400;
    const qint64 validity = 365 * day;
    // A batch of devices enrolled on the same day a year ago: the renewal cliff the
    // overview chart should make obvious.
    const qint64 cliffStart = 45 * day;

    for (int i = 0; i < options.devices; ++i) {
        storage::DeviceRecord device;
        device.serverId = QStringLiteral("srv_") + hexOf(random, 16);
        device.fingerprint = QStringLiteral("sha256:") + hexOf(random, 32);
        const char *role = kRoles[random() % std::size(kRoles)];
        const char *site = kSites[random() % std::size(kSites)];
        device.hostname = QStringLiteral("%1-%2-%3").arg(QLatin1String(role), QLatin1String(site)).arg(i, 6, 10, QLatin1Char('0'));
        const bool windows = std::string_view(role) == "pos" && unit(random) < 0.7;
        device.os = windows ? QStringLiteral("windows") : QStringLiteral("linux");
        device.arch = (std::string_view(role) == "signage" || unit(random) < 0.15) ? QStringLiteral("arm64")
                                                                                   : QStringLiteral("amd64");

        // Remaining validity: uniform over the year, a cliff, and some expired.
        const double shape = unit(random);
        qint64 remaining;
        if (shape < options.expiredShare)
            remaining = -qint64(unit(random) * 60 * day) - 1;
        else if (shape < options.expiredShare + 0.08)
            remaining = cliffStart + qint64(unit(random) * 7 * day);
        else
            remaining = qint64(unit(random) * validity) + 60;
        const QDateTime notAfter = now.addSecs(remaining);
        const QDateTime notBefore = notAfter.addSecs(-validity);
        const int renewals = int(unit(random) * 3);
        const QDateTime enrolled = notBefore.addSecs(-renewals * validity + qint64(unit(random) * day));

        storage::CertificateRecord certificate;
        certificate.serial = hexOf(random, 16);
        certificate.serial.remove(0, certificate.serial.indexOf(QRegularExpression(QStringLiteral("[^0]"))));
        certificate.serverId = device.serverId;
        certificate.notBefore = notBefore;
        certificate.notAfter = notAfter;
        certificate.issuedAt = notBefore;
        certificate.how = renewals > 0 ? storage::IssuedHow::Renew : storage::IssuedHow::Enroll;
        device.enrolledAt = enrolled;
        if (renewals > 0)
            device.renewedAt = notBefore;
        if (remaining > 0 && unit(random) < 0.95) {
            device.lastSeenAt = now.addSecs(-qint64(unit(random) * 3 * day));
            device.lastAddress = QStringLiteral("10.%1.%2.%3").arg(random() % 256).arg(random() % 256).arg(1 + random() % 254);
        }

        storage::EventRecord event;
        event.at = certificate.issuedAt;
        event.kind = renewals > 0 ? storage::EventKind::Renew : storage::EventKind::Enroll;
        event.actor = QStringLiteral("device");
        event.address = device.lastAddress;
        auto written = registry.recordEnrollment(device, certificate, true, event);
        if (!written)
            return written.error();
        if (written.value() != storage::WriteOutcome::Done)
            return Status::failure(QStringLiteral("device %1: %2").arg(i).arg(storage::toString(written.value())));

        if (unit(random) < options.revokedShare) {
            auto revoked = registry.revoke(device.serverId, QStringLiteral("decommissioned"),
                                           QStringLiteral("operator:generator"), now.addSecs(-qint64(unit(random) * 30 * day)));
            if (!revoked)
                return revoked.error();
        }
        if (progress && (i + 1) % 1000 == 0)
            progress(i + 1);
    }
    return Status::success();
}

} // namespace imprint::testing
