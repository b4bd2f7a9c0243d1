#pragma once

#include "common/result.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QDateTime>
#include <QByteArrayView>
#include <QString>

// JSON encoding and decoding of the protocol messages.
//
// Encoding writes exactly what Go's encoding/json (json.Marshal, HTML escaping on, Go >= 1.22)
// writes for the reference structs: compact, wire field names in declaration order, all
// fields present (except EnrollRequest::token, omitted when empty), '<' '>' '&' U+2028
// U+2029 as \u escapes, control characters as \b \f \n \r \t or \u00xx. Byte-identical
// output keeps signatures, fixtures and diffs comparable across implementations.
//
// Decoding is strict about what a message must be and tolerant of the rest:
//  * the body must be non-empty, at most kMaxBodyBytes, valid UTF-8 JSON (RFC 8259;
//    trailing white space allowed, anything else after the value refused), an object,
//    nested at most kMaxJsonDepth levels (checked before Qt parses anything);
//  * every known field that is present must be a string of at most kMaxFieldBytes;
//  * every required field must be present and non-empty (no trimming);
//  * unknown fields of any type are ignored, as a newer peer may send more;
//  * field names match exactly (Go would also match case-insensitively; its encoders
//    never produce such names);
//  * a duplicated key: the last occurrence wins, as in Go.
// An error message names the offending field as on the wire, in double quotes, and never
// contains a field value, so a server may return it as the 400 body as is.
namespace imprint::protocol {

QByteArray encode(const EnrollRequest &message);
QByteArray encode(const EnrollResponse &message);
QByteArray encode(const RenewRequest &message);
QByteArray encode(const ChallengeRenewRequest &message);
QByteArray encode(const ErrorResponse &message);
// Indented like Go's json.MarshalIndent(v, "", "  "), no trailing newline:
// {\n  "server_id": "...",\n  "fingerprint": "..."\n}
QByteArray encode(const EnrollmentInfo &message);
QByteArray encode(const DeviceInfo &message);

Result<EnrollRequest> decodeEnrollRequest(QByteArrayView json);
Result<EnrollResponse> decodeEnrollResponse(QByteArrayView json);
Result<RenewRequest> decodeRenewRequest(QByteArrayView json);
Result<ChallengeRenewRequest> decodeChallengeRenewRequest(QByteArrayView json);
Result<ErrorResponse> decodeErrorResponse(QByteArrayView json);
Result<EnrollmentInfo> decodeEnrollmentInfo(QByteArrayView json);

// A time as the protocol writes it (X-Imprint-Cert-Expires, DeviceInfo): RFC 3339 in UTC,
// whole seconds, "Z" ("2026-12-04T06:50:00Z"), as Go's time.RFC3339 formats a UTC time.
// Empty for an invalid QDateTime.
QString rfc3339(const QDateTime &time);

// A short, printable description of an error answer for logs and user messages: the
// "error" field of a JSON error body, otherwise the body as text (the reference server
// answers errors with http.Error, i.e. text/plain), white space collapsed, control
// characters dropped, cut at 200 characters. Empty when the body is.
QString describeErrorBody(QByteArrayView body);

} // namespace imprint::protocol
