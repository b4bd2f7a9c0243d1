#pragma once

#include <QString>

// The JSON bodies of PROTOCOL.md sections 3 and 5, one struct per message. Members are
// named after the wire fields (see codec.h for the exact names and order); values are
// carried verbatim, never trimmed, because secrets and PEM documents must not be altered.
namespace imprint::protocol {

// POST /api/v1/enroll. Required: build_secret, fingerprint, csr.
struct EnrollRequest {
    QString buildSecret; // build_secret
    QString fingerprint; // fingerprint
    QString hostname;    // hostname (optional)
    QString os;          // os (optional)
    QString arch;        // arch (optional)
    QString csr;         // csr, PEM PKCS#10
    // token: one-time enrollment token of the token mode (beyond the reference). Encoded
    // only when non-empty so that a reference server never sees an unexpected field.
    QString token;

    friend bool operator==(const EnrollRequest &, const EnrollRequest &) = default;
};

// 200 answer to enroll, renew and challenge renew. All fields required.
struct EnrollResponse {
    QString serverId;      // server_id
    QString certificate;   // certificate, PEM
    QString caCertificate; // ca_certificate, PEM

    friend bool operator==(const EnrollResponse &, const EnrollResponse &) = default;
};

// POST /api/v1/renew (mTLS). Required: csr.
struct RenewRequest {
    QString csr; // csr, PEM PKCS#10

    friend bool operator==(const RenewRequest &, const RenewRequest &) = default;
};

// POST /api/v1/renew/challenge. All fields required.
struct ChallengeRenewRequest {
    QString serverId;    // server_id
    QString fingerprint; // fingerprint
    QString expiredCert; // expired_cert, PEM
    QString csr;         // csr, PEM PKCS#10
    QString proof;       // proof, base64 signature by the old key

    friend bool operator==(const ChallengeRenewRequest &, const ChallengeRenewRequest &) = default;
};

// Body of every error answer: {"error":"..."}. Required: error.
struct ErrorResponse {
    QString error;

    friend bool operator==(const ErrorResponse &, const ErrorResponse &) = default;
};

// The device store's enrollment.json. Required: server_id, fingerprint.
struct EnrollmentInfo {
    QString serverId;    // server_id
    QString fingerprint; // fingerprint

    friend bool operator==(const EnrollmentInfo &, const EnrollmentInfo &) = default;
};

// GET /api/v1/device (mTLS, beyond the reference): the calling device's own record. Times
// are RFC 3339 in UTC ("2026-12-04T06:50:00Z"), empty when never.
struct DeviceInfo {
    QString serverId;    // server_id
    QString fingerprint; // fingerprint
    QString hostname;    // hostname
    QString os;          // os
    QString arch;        // arch
    QString status;      // status: active, revoked, pending
    QString serial;      // serial, lowercase hex of the current certificate
    QString notAfter;    // not_after of the current certificate
    QString enrolledAt;  // enrolled_at
    QString renewedAt;   // renewed_at

    friend bool operator==(const DeviceInfo &, const DeviceInfo &) = default;
};

} // namespace imprint::protocol
