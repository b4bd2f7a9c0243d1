#pragma once

#include <QLatin1StringView>
#include <QtGlobal>

// The HTTP surface of PROTOCOL.md section 3, shared by the service and the device.
namespace imprint::protocol {

inline constexpr QLatin1StringView kEnrollPath{"/api/v1/enroll"};
inline constexpr QLatin1StringView kRenewPath{"/api/v1/renew"};
inline constexpr QLatin1StringView kChallengeRenewPath{"/api/v1/renew/challenge"};
inline constexpr QLatin1StringView kDevicePath{"/api/v1/device"};
inline constexpr QLatin1StringView kHealthPath{"/healthz"};

inline constexpr QLatin1StringView kContentTypeJson{"application/json"};
// Added by the mTLS guard to every accepted response: the certificate's NotAfter, RFC 3339.
inline constexpr QLatin1StringView kCertExpiresHeader{"X-Imprint-Cert-Expires"};

// Requests over 1 MiB are refused (413) and clients stop reading responses at 1 MiB,
// as the reference does (http.MaxBytesReader / io.LimitReader with 1 << 20).
inline constexpr qsizetype kMaxBodyBytes = qsizetype(1) << 20;

// Every message is a flat object of strings (depth 1). A newer peer may add structured
// fields that we ignore, so allow some depth, but refuse anything that looks like an
// attack long before Qt's own parser limit (1024 levels, QJsonParseError::DeepNesting).
inline constexpr int kMaxJsonDepth = 32;

// Upper bound on a known string field, in UTF-8 bytes after JSON unescaping. The largest
// legitimate values are PEM documents: a P-256 CSR is ~0.5 KiB, a certificate ~1 KiB, and
// even an RSA-4096 certificate with a long chain stays under 16 KiB. 64 KiB leaves ample
// room while keeping a single body from carrying a megabyte into CSR/PEM parsers, the
// database or the logs.
inline constexpr qsizetype kMaxFieldBytes = qsizetype(64) * 1024;

} // namespace imprint::protocol
