#include "csvexport.h"

#include "common/atomicfile.h"
#include "protocol/codec.h"
#include "storage/registry.h"

#include <QStringList>

namespace imprint::console {

namespace {

constexpr int kPageRows = 2000;

} // namespace

QString csvField(const QString &value)
{
    // A spreadsheet runs a cell that starts with one of these as a formula, and a host
    // name is whatever the device sent: "=HYPERLINK(...)" must stay text (OWASP's advice,
    // a leading apostrophe, which spreadsheets hide).
    static const QString formulaStart = QStringLiteral("=+-@\t\r");
    QString field = value;
    if (!field.isEmpty() && formulaStart.contains(field.front()))
        field.prepend(QLatin1Char('\''));
    static const QString special = QStringLiteral(",\"\r\n");
    bool quote = false;
    for (const QChar c : field) {
        if (special.contains(c)) {
            quote = true;
            break;
        }
    }
    if (!quote)
        return field;
    field.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + field + QLatin1Char('"');
}

Result<QByteArray> devicesCsv(storage::Registry &registry, storage::DeviceFilter filter)
{
    QByteArray csv = "server_id,hostname,os,arch,status,current_serial,not_after,enrolled_at,renewed_at,"
                     "last_seen_at,last_address,fingerprint,revoked_at,revoke_reason\r\n";
    // Paged so that 100,000 devices never sit in memory twice; a device written between
    // two pages may be missed or repeated, as with any export of a live registry.
    filter.limit = kPageRows;
    for (filter.offset = 0;; filter.offset += kPageRows) {
        auto page = registry.devices(filter);
        if (!page)
            return page.error();
        for (const storage::DeviceRecord &device : page.value()) {
            const QStringList fields{
                device.serverId,
                device.hostname,
                device.os,
                device.arch,
                storage::toString(device.status),
                device.currentSerial,
                protocol::rfc3339(device.currentNotAfter),
                protocol::rfc3339(device.enrolledAt),
                protocol::rfc3339(device.renewedAt),
                protocol::rfc3339(device.lastSeenAt),
                device.lastAddress,
                device.fingerprint,
                protocol::rfc3339(device.revokedAt),
                device.revokeReason,
            };
            QStringList quoted;
            quoted.reserve(fields.size());
            for (const QString &field : fields)
                quoted << csvField(field);
            csv += quoted.join(QLatin1Char(',')).toUtf8();
            csv += "\r\n";
        }
        if (page->size() < kPageRows)
            break;
    }
    return csv;
}

Status exportDevicesCsv(storage::Registry &registry, const storage::DeviceFilter &filter, const QString &path)
{
    auto csv = devicesCsv(registry, filter);
    if (!csv)
        return csv.error();
    return writeFileAtomically(path, csv.value(), 0644);
}

} // namespace imprint::console
