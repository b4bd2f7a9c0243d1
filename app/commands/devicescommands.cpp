#include "devicescommands.h"

#include "commonoptions.h"
#include "common/displaytext.h"
#include "console.h"
#include "storage/registry.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace imprint;
using commonoptions::timeJson;
using commonoptions::timeText;

namespace {

Result<std::unique_ptr<storage::Registry>> openRegistry(const QCommandLineParser &parser)
{
    auto url = storage::parseDatabaseUrl(parser.value(QStringLiteral("db")));
    if (!url)
        return url.error();
    return storage::Registry::open(url.value(), QStringLiteral("cli"));
}

QString daysLeft(const QDateTime &notAfter)
{
    if (!notAfter.isValid())
        return QStringLiteral("-");
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(notAfter);
    if (seconds < 0)
        return QStringLiteral("expired");
    return QString::number(seconds / 86400) + QLatin1Char('d');
}

QJsonObject deviceJson(const storage::DeviceRecord &device)
{
    return QJsonObject{
        {QStringLiteral("server_id"), device.serverId},
        {QStringLiteral("fingerprint"), device.fingerprint},
        {QStringLiteral("hostname"), device.hostname},
        {QStringLiteral("os"), device.os},
        {QStringLiteral("arch"), device.arch},
        {QStringLiteral("status"), storage::toString(device.status)},
        {QStringLiteral("serial"), device.currentSerial},
        {QStringLiteral("not_after"), timeJson(device.currentNotAfter)},
        {QStringLiteral("enrolled_at"), timeJson(device.enrolledAt)},
        {QStringLiteral("renewed_at"), timeJson(device.renewedAt)},
        {QStringLiteral("last_seen_at"), timeJson(device.lastSeenAt)},
        {QStringLiteral("last_address"), device.lastAddress},
        {QStringLiteral("revoked_at"), timeJson(device.revokedAt)},
        {QStringLiteral("revoke_reason"), device.revokeReason},
    };
}

QJsonObject certificateJson(const storage::CertificateRecord &certificate)
{
    return QJsonObject{
        {QStringLiteral("serial"), certificate.serial},
        {QStringLiteral("how"), storage::toString(certificate.how)},
        {QStringLiteral("issued_at"), timeJson(certificate.issuedAt)},
        {QStringLiteral("not_before"), timeJson(certificate.notBefore)},
        {QStringLiteral("not_after"), timeJson(certificate.notAfter)},
        {QStringLiteral("revoked_at"), timeJson(certificate.revokedAt)},
    };
}

QJsonObject eventJson(const storage::EventRecord &event)
{
    return QJsonObject{
        {QStringLiteral("at"), timeJson(event.at)},
        {QStringLiteral("kind"), event.kind},
        {QStringLiteral("actor"), event.actor},
        {QStringLiteral("address"), event.address},
        {QStringLiteral("detail"), event.detail},
    };
}

// Formats rows as left-aligned columns separated by two spaces. Cells hold what devices
// said about themselves: nothing in them may act on the terminal.
QString table(QList<QStringList> rows)
{
    for (QStringList &row : rows) {
        for (QString &cell : row)
            cell = safeToDisplay(cell);
    }
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths << 0;
            widths[i] = std::max(widths[i], row[i].size());
        }
    }
    QString text;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += (i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i]);
        text += line + QLatin1Char('\n');
    }
    return text;
}

QString onlyArgument(const QCommandLineParser &parser, QString *problem)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        *problem = QStringLiteral("missing the device's server_id");
    else if (positional.size() > 1)
        *problem = QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1));
    return positional.value(0);
}

} // namespace

DevicesListCommand::DevicesListCommand()
    : Command(QStringLiteral("devices list"), QStringLiteral("List the devices of the registry."))
{
}

void DevicesListCommand::configure(QCommandLineParser &parser)
{
    parser.addOption(commonoptions::dbOption());
    parser.addOption(QCommandLineOption(QStringLiteral("status"),
                                        QStringLiteral("Only devices with this status: active, revoked or pending."),
                                        QStringLiteral("STATUS")));
    parser.addOption(QCommandLineOption(QStringLiteral("search"),
                                        QStringLiteral("Only devices whose hostname, server_id, fingerprint or "
                                                       "serial contains TEXT."),
                                        QStringLiteral("TEXT")));
    parser.addOption(commonoptions::jsonOption());
}

int DevicesListCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    storage::DeviceFilter filter;
    if (parser.isSet(QStringLiteral("status"))) {
        auto status = storage::parseDeviceStatus(parser.value(QStringLiteral("status")));
        if (!status.ok())
            return usageError(QStringLiteral("unknown status \"%1\": use active, revoked or pending")
                                  .arg(parser.value(QStringLiteral("status"))));
        filter.status = status.value();
    }
    filter.search = parser.value(QStringLiteral("search"));
    auto registry = openRegistry(parser);
    if (!registry)
        return failure(registry.errorMessage());
    auto devices = registry.value()->devices(filter);
    if (!devices)
        return failure(devices.errorMessage());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const auto &device : devices.value())
            array.append(deviceJson(device));
        console::json(QJsonDocument(array));
        return ExitOk;
    }
    QList<QStringList> rows{{QStringLiteral("SERVER_ID"), QStringLiteral("HOSTNAME"), QStringLiteral("STATUS"),
                             QStringLiteral("SERIAL"), QStringLiteral("EXPIRES"), QStringLiteral("LEFT"),
                             QStringLiteral("LAST SEEN")}};
    for (const auto &device : devices.value())
        rows << QStringList{device.serverId, device.hostname.isEmpty() ? QStringLiteral("-") : device.hostname,
                            storage::toString(device.status), device.currentSerial,
                            timeText(device.currentNotAfter), daysLeft(device.currentNotAfter),
                            timeText(device.lastSeenAt)};
    console::out(table(rows));
    return ExitOk;
}

DevicesShowCommand::DevicesShowCommand()
    : Command(QStringLiteral("devices show"),
              QStringLiteral("Show one device with its certificate history and events."))
{
}

void DevicesShowCommand::configure(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("server_id"), QStringLiteral("The device to show."));
    parser.addOption(commonoptions::dbOption());
    parser.addOption(commonoptions::jsonOption());
}

int DevicesShowCommand::run(const QCommandLineParser &parser)
{
    QString problem;
    const QString serverId = onlyArgument(parser, &problem);
    if (!problem.isEmpty())
        return usageError(problem);
    auto registry = openRegistry(parser);
    if (!registry)
        return failure(registry.errorMessage());
    auto device = registry.value()->deviceByServerId(serverId);
    if (!device)
        return failure(device.errorMessage());
    if (!device.value())
        return failure(QStringLiteral("no device %1 in the registry").arg(serverId));
    auto certificates = registry.value()->certificates(serverId);
    if (!certificates)
        return failure(certificates.errorMessage());
    auto events = registry.value()->events(serverId, 100);
    if (!events)
        return failure(events.errorMessage());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject object = deviceJson(*device.value());
        QJsonArray history;
        for (const auto &certificate : certificates.value())
            history.append(certificateJson(certificate));
        QJsonArray trail;
        for (const auto &event : events.value())
            trail.append(eventJson(event));
        object.insert(QStringLiteral("certificates"), history);
        object.insert(QStringLiteral("events"), trail);
        console::json(QJsonDocument(object));
        return ExitOk;
    }
    const storage::DeviceRecord &d = *device.value();
    QString text = table({
        {QStringLiteral("server_id:"), d.serverId},
        {QStringLiteral("fingerprint:"), d.fingerprint},
        {QStringLiteral("hostname:"), d.hostname},
        {QStringLiteral("os/arch:"), d.os + QLatin1Char('/') + d.arch},
        {QStringLiteral("status:"), storage::toString(d.status)
                                        + (d.revokeReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(d.revokeReason))},
        {QStringLiteral("serial:"), d.currentSerial},
        {QStringLiteral("expires:"), timeText(d.currentNotAfter) + QStringLiteral(" (%1)").arg(daysLeft(d.currentNotAfter))},
        {QStringLiteral("enrolled:"), timeText(d.enrolledAt)},
        {QStringLiteral("renewed:"), timeText(d.renewedAt)},
        {QStringLiteral("last seen:"), timeText(d.lastSeenAt) + (d.lastAddress.isEmpty() ? QString() : QStringLiteral(" from ") + d.lastAddress)},
    });
    QList<QStringList> history{{QStringLiteral("SERIAL"), QStringLiteral("HOW"), QStringLiteral("NOT BEFORE"),
                                QStringLiteral("NOT AFTER"), QStringLiteral("REVOKED")}};
    for (const auto &c : certificates.value())
        history << QStringList{c.serial, storage::toString(c.how), timeText(c.notBefore), timeText(c.notAfter),
                               c.revokedAt.isValid() ? timeText(c.revokedAt) : QStringLiteral("-")};
    QList<QStringList> trail{{QStringLiteral("AT"), QStringLiteral("EVENT"), QStringLiteral("BY"),
                              QStringLiteral("FROM"), QStringLiteral("DETAIL")}};
    for (const auto &e : events.value())
        trail << QStringList{timeText(e.at), e.kind, e.actor, e.address.isEmpty() ? QStringLiteral("-") : e.address,
                             e.detail};
    text += QStringLiteral("\nCertificates:\n") + table(history) + QStringLiteral("\nEvents:\n") + table(trail);
    console::out(text);
    return ExitOk;
}

DevicesRevokeCommand::DevicesRevokeCommand()
    : Command(QStringLiteral("devices revoke"),
              QStringLiteral("Revoke a device: its certificates stop working and it cannot enroll again."))
{
}

void DevicesRevokeCommand::configure(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("server_id"), QStringLiteral("The device to revoke."));
    parser.addOption(commonoptions::dbOption());
    parser.addOption(QCommandLineOption(QStringLiteral("reason"), QStringLiteral("Why, for the audit trail."),
                                        QStringLiteral("TEXT")));
    parser.addOption(commonoptions::jsonOption());
}

int DevicesRevokeCommand::run(const QCommandLineParser &parser)
{
    QString problem;
    const QString serverId = onlyArgument(parser, &problem);
    if (!problem.isEmpty())
        return usageError(problem);
    auto registry = openRegistry(parser);
    if (!registry)
        return failure(registry.errorMessage());
    auto outcome = registry.value()->revoke(serverId, parser.value(QStringLiteral("reason")), storage::operatorActor(),
                                            QDateTime::currentDateTimeUtc());
    if (!outcome)
        return failure(outcome.errorMessage());
    switch (outcome.value()) {
    case storage::WriteOutcome::Done: break;
    case storage::WriteOutcome::Revoked:
        return failure(QStringLiteral("device %1 is already revoked").arg(serverId));
    default: return failure(QStringLiteral("no device %1 in the registry").arg(serverId));
    }
    if (parser.isSet(QStringLiteral("json")))
        console::json(QJsonDocument(QJsonObject{{QStringLiteral("server_id"), serverId},
                                                {QStringLiteral("status"), QStringLiteral("revoked")}}));
    else
        console::out(QStringLiteral("revoked %1\n").arg(serverId));
    return ExitOk;
}

DevicesDeleteCommand::DevicesDeleteCommand()
    : Command(QStringLiteral("devices delete"),
              QStringLiteral("Delete a device's record and certificate history (the events stay)."))
{
}

void DevicesDeleteCommand::configure(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("server_id"), QStringLiteral("The device to delete."));
    parser.addOption(commonoptions::dbOption());
    parser.addOption(commonoptions::jsonOption());
}

int DevicesDeleteCommand::run(const QCommandLineParser &parser)
{
    QString problem;
    const QString serverId = onlyArgument(parser, &problem);
    if (!problem.isEmpty())
        return usageError(problem);
    auto registry = openRegistry(parser);
    if (!registry)
        return failure(registry.errorMessage());
    auto outcome = registry.value()->deleteDevice(serverId, storage::operatorActor(), QDateTime::currentDateTimeUtc());
    if (!outcome)
        return failure(outcome.errorMessage());
    if (outcome.value() != storage::WriteOutcome::Done)
        return failure(QStringLiteral("no device %1 in the registry").arg(serverId));
    if (parser.isSet(QStringLiteral("json")))
        console::json(QJsonDocument(QJsonObject{{QStringLiteral("server_id"), serverId},
                                                {QStringLiteral("deleted"), true}}));
    else
        console::out(QStringLiteral("deleted %1\n").arg(serverId));
    return ExitOk;
}
