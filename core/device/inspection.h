#pragma once

#include "common/result.h"
#include "device/credentialstore.h"

#include <QDateTime>
#include <QString>

#include <chrono>

namespace imprint::device {

// What a device's store holds and where its certificate stands, for `imprint status`,
// the wizard and the renewal decision (PROTOCOL.md section 6).
struct CredentialStatus {
    // The renewal tiers' view of the certificate, with the reference client's boundaries
    // (notAfter N, threshold T, challenge window W, time t):
    //   Valid               t <= N and N - t >= T      -> nothing to do
    //   RenewalDue          t <= N and N - t <  T      -> tier 1
    //   ExpiredInWindow     t >  N and t - N <= W      -> tier 2
    //   ExpiredBeyondWindow t >  N and t - N >  W      -> tier 3
    //   NotEnrolled         key, certificate or CA file missing -> enroll
    //   Unreadable          the files are there but do not load as a consistent set
    //                       (`problem` says why)   -> enroll
    enum class State { Valid, RenewalDue, ExpiredInWindow, ExpiredBeyondWindow, NotEnrolled, Unreadable };

    bool enrolled = false; // the reference's definition: key, certificate and CA exist
    QString serverId;
    QString fingerprint;
    QString subject; // RFC 2253, "CN=srv_...,O=Imprint CA"
    QString issuer;
    QString serial;      // lowercase hex, no colons, no leading zeros (as the registry has it)
    QDateTime notBefore; // UTC
    QDateTime notAfter;  // UTC
    // Whole days until notAfter, rounded down: 0 on the last day, negative once expired.
    qint64 daysLeft = 0;
    State state = State::NotEnrolled;
    QString caPin; // "sha256:" + hex SHA-256 of the CA certificate's DER
    QString storeDirectory;
    // Why the state is Unreadable, or a warning for an otherwise usable set (certificate
    // not yet valid, not issued by the stored CA). Empty when all is well.
    QString problem;
};

// "valid", "renewal_due", "expired_in_window", "expired_beyond_window", "not_enrolled",
// "unreadable": the names used in command output and logs.
QString stateName(CredentialStatus::State state);

// Describes the store at `now`. Loading the store may complete an interrupted switch
// (see CredentialStore::load()). A missing or unreadable store is a state, not an error;
// the Result fails only for unusable arguments (negative threshold or window, invalid now).
// Fields come from the certificate whenever client.crt parses, even if the set as a whole
// is Unreadable, so that a broken store can still be described.
Result<CredentialStatus> inspect(const CredentialStore &store, const QDateTime &now,
                                 std::chrono::seconds threshold = std::chrono::days(30),
                                 std::chrono::seconds challengeWindow = std::chrono::days(30));

} // namespace imprint::device
