#pragma once

#include "common/result.h"

#include <QDateTime>
#include <QLatin1String>
#include <QString>

#include <optional>

namespace imprint::storage {

// Times are stored as whole seconds since the epoch (UTC): sub-second parts of the
// QDateTime values given to the registry are dropped. A null QDateTime means "never".

enum class DeviceStatus { Active, Revoked, Pending };
QString toString(DeviceStatus status); // "active", "revoked", "pending"
Result<DeviceStatus> parseDeviceStatus(const QString &text);

// How a certificate came to be issued.
enum class IssuedHow { Enroll, Renew, Challenge, Reenroll };
QString toString(IssuedHow how); // "enroll", "renew", "challenge", "reenroll"
Result<IssuedHow> parseIssuedHow(const QString &text);

struct DeviceRecord {
    QString serverId;
    QString fingerprint;
    QString hostname;
    QString os;
    QString arch;
    DeviceStatus status = DeviceStatus::Active;
    QString currentSerial; // lowercase hex; every other serial of the device is superseded
    QDateTime currentNotAfter;
    QDateTime enrolledAt; // first enrollment; kept by re-enrollment
    QDateTime renewedAt;
    QDateTime lastSeenAt;
    QString lastAddress;
    QDateTime revokedAt;
    QString revokeReason;
};

struct CertificateRecord {
    QString serial; // lowercase hex, no leading zeros (as in the protocol)
    QString serverId;
    QDateTime notBefore;
    QDateTime notAfter;
    QDateTime issuedAt;
    IssuedHow how = IssuedHow::Enroll;
    QDateTime revokedAt;
};

// The audit log. `kind` is free text (see EventKind); `detail` is for an operator.
struct EventRecord {
    qint64 id = 0; // assigned by the database
    QDateTime at;
    QString serverId; // may be empty for rejected attempts that name no device
    QString kind;
    QString actor;   // "device", "operator:<name>", "system", ...
    QString address; // remote address of the request, if any
    QString detail;
};

// The actor an operator's changes are recorded under: "operator:<login name>".
QString operatorActor();

// The event kinds in use; the column is free text so that new kinds need no migration.
namespace EventKind {
inline constexpr QLatin1String Enroll{"enroll"};
inline constexpr QLatin1String Reenroll{"reenroll"};
inline constexpr QLatin1String Renew{"renew"};
inline constexpr QLatin1String ChallengeRenew{"challenge_renew"};
inline constexpr QLatin1String Revoke{"revoke"};
inline constexpr QLatin1String Delete{"delete"};
inline constexpr QLatin1String Approve{"approve"};
inline constexpr QLatin1String RejectedEnroll{"rejected_enroll"};
inline constexpr QLatin1String RejectedRenew{"rejected_renew"};
inline constexpr QLatin1String RejectedChallenge{"rejected_challenge"};
} // namespace EventKind

// Which devices the console shows, in which order. Filtering, sorting and paging run
// in SQL, so that a page of a registry with 100,000 devices costs one indexed query.
struct DeviceFilter {
    enum class Sort {
        ServerId,
        Hostname,
        Fingerprint,
        Status,
        Os,
        Arch,
        CurrentSerial,
        CurrentNotAfter,
        EnrolledAt,
        RenewedAt,
        LastSeenAt,
        LastAddress,
    };

    std::optional<DeviceStatus> status;
    // Case-insensitive substring of hostname, server_id, fingerprint or current serial,
    // or exactly any serial the device ever had. '%' and '_' are literal.
    QString search;
    // Required by the two expiry conditions below (the registry does not read the clock).
    QDateTime now;
    // current_not_after in (now, now + seconds]: still valid, expiring soon.
    std::optional<qint64> expiringWithinSeconds;
    // current_not_after <= now.
    bool expiredOnly = false;

    // Ties are broken by server_id. "Never" (a null time, no serial) is the smallest
    // value: first in ascending order, last in descending order.
    Sort sort = Sort::Hostname;
    bool descending = false;
    int limit = -1; // -1: all
    int offset = 0;
};

} // namespace imprint::storage
