#pragma once

#include "common/result.h"
#include "storage/databaseurl.h"
#include "storage/records.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QPair>

#include <memory>
#include <optional>

namespace imprint::storage {

// How a write ended when it did not fail outright. Anything but Done changed nothing.
enum class WriteOutcome {
    Done,
    Conflict,   // a concurrent writer won (same fingerprint, server_id or serial): re-read and retry
    Revoked,    // the device is revoked
    NotFound,   // no such device (or, for re-enrollment, not with this fingerprint)
    Superseded, // renewal: the expected serial is no longer the device's current one
};
QString toString(WriteOutcome outcome);

struct LastSeen {
    QString serverId;
    QDateTime at;
    QString address;
};

class RegistryPrivate;

// The device registry: devices, their certificates, the audit log.
//
// One instance per thread: each has its own database connection, which Qt allows to be
// used only by the thread that opened it. Several instances (threads, processes or, on
// PostgreSQL, machines) may share one database; every write is one transaction, and
// races between them are settled by the database's constraints and conditional
// updates, reported as WriteOutcome::Conflict or Superseded.
//
// Times come from the caller; the registry reads the wall clock only to stamp
// schema_version.applied_at during a migration.
class Registry {
public:
    // Connects, and creates or migrates the schema. SQLite: creates the file (mode 0600)
    // and its parent directory (0700) if missing; WAL mode, foreign keys, 5 s busy
    // timeout. `connectionTag` goes into the Qt connection name (e.g. "worker-3").
    static Result<std::unique_ptr<Registry>> open(const DatabaseUrl &url, const QString &connectionTag = {});
    ~Registry();
    Registry(const Registry &) = delete;
    Registry &operator=(const Registry &) = delete;

    static int latestSchemaVersion();
    Result<int> schemaVersion();
    const DatabaseUrl &url() const;
    // Closes the connection; every later call fails with a message saying so.
    void close();
    bool isOpen() const;
    // True once an operation failed because the connection to the database server is gone
    // (a PostgreSQL restart or failover, a terminated backend). Such a registry does not
    // recover; open a new one (RegistryPool does). Never true for SQLite.
    bool connectionLost() const;

    // Reads.
    Result<std::optional<DeviceRecord>> deviceByServerId(const QString &serverId);
    Result<std::optional<DeviceRecord>> deviceByFingerprint(const QString &fingerprint);
    Result<QList<DeviceRecord>> devices(const DeviceFilter &filter);
    Result<qint64> countDevices(const DeviceFilter &filter);                // ignores limit and offset
    Result<QList<CertificateRecord>> certificates(const QString &serverId); // newest first
    Result<std::optional<CertificateRecord>> certificateBySerial(const QString &serial);
    Result<QList<EventRecord>> events(const QString &serverId, int limit); // newest first; limit -1: all
    Result<QList<EventRecord>> recentEvents(int limit);                    // newest first
    // Keys "active", "revoked", "pending", each present (0 if none).
    Result<QHash<QString, qint64>> countByStatus();
    // Active devices whose current certificate expires in [from + 7i days, from + 7(i+1) days),
    // one entry per week i = 0 .. weeks-1 (zeros included), keyed by the week's first day.
    Result<QList<QPair<QDate, qint64>>> expiriesPerWeek(const QDateTime &from, int weeks);

    // Writes: each is one transaction.

    // A certificate issued by enrollment. `certificate` becomes the device's current one
    // (current_serial and current_not_after are taken from it, not from `device`).
    // isNewDevice: inserts `device` (enrolled_at defaults to certificate.issuedAt); a
    //   concurrent enrollment of the same fingerprint (or server_id) gives Conflict.
    // otherwise: re-enrollment of the device with device.serverId and device.fingerprint;
    //   updates hostname, os, arch and the current certificate, keeps server_id,
    //   enrolled_at, renewed_at and status. Revoked or NotFound if it cannot.
    // An empty event.serverId or certificate.serverId is taken from `device`.
    Result<WriteOutcome> recordEnrollment(const DeviceRecord &device, const CertificateRecord &certificate,
                                          bool isNewDevice, const EventRecord &event);
    // A renewal of an active device whose current serial is `expectedCurrentSerial`:
    // of two renewals with the same old certificate exactly one is Done, the other
    // Superseded. Sets renewed_at to certificate.issuedAt.
    Result<WriteOutcome> recordRenewal(const QString &serverId, const QString &expectedCurrentSerial,
                                       const CertificateRecord &certificate, const EventRecord &event);
    // Revokes the device and every certificate of it not yet revoked, and logs a
    // "revoke" event with the reason as detail. An already revoked device: Revoked,
    // nothing written.
    Result<WriteOutcome> revoke(const QString &serverId, const QString &reason, const QString &actor,
                                const QDateTime &at);
    // Removes the device and its certificates; the events stay, plus a "delete" event
    // naming the fingerprint and hostname that are gone.
    Result<WriteOutcome> deleteDevice(const QString &serverId, const QString &actor, const QDateTime &at);
    Status recordEvent(const EventRecord &event);
    // last_seen_at = max(stored, given), with the address of the later one. Unknown
    // devices are ignored. One transaction for the whole batch.
    Status recordLastSeen(const QList<LastSeen> &batch);

private:
    explicit Registry(std::unique_ptr<RegistryPrivate> d);
    std::unique_ptr<RegistryPrivate> d;
};

} // namespace imprint::storage
