#include "protocol/codec.h"

#include "protocol/endpoints.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLatin1StringView>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <span>
#include <utility>

namespace imprint::protocol {

namespace {

enum class Presence {
    Required,         // must be present and non-empty; always encoded
    Optional,         // may be absent or empty; always encoded (the reference has no omitempty)
    OptionalOmitEmpty // may be absent or empty; encoded only when non-empty
};

template <typename T> struct Field {
    const char *name; // on the wire
    QString T::*member;
    Presence presence;
};

// Field order is the order of the reference structs, which is the order Go encodes.
constexpr Field<EnrollRequest> kEnrollRequestFields[] = {
    {"build_secret", &EnrollRequest::buildSecret, Presence::Required},
    {"fingerprint", &EnrollRequest::fingerprint, Presence::Required},
    {"hostname", &EnrollRequest::hostname, Presence::Optional},
    {"os", &EnrollRequest::os, Presence::Optional},
    {"arch", &EnrollRequest::arch, Presence::Optional},
    {"csr", &EnrollRequest::csr, Presence::Required},
    {"token", &EnrollRequest::token, Presence::OptionalOmitEmpty},
};

constexpr Field<EnrollResponse> kEnrollResponseFields[] = {
    {"server_id", &EnrollResponse::serverId, Presence::Required},
    {"certificate", &EnrollResponse::certificate, Presence::Required},
    {"ca_certificate", &EnrollResponse::caCertificate, Presence::Required},
};

constexpr Field<RenewRequest> kRenewRequestFields[] = {
    {"csr", &RenewRequest::csr, Presence::Required},
};

constexpr Field<ChallengeRenewRequest> kChallengeRenewRequestFields[] = {
    {"server_id", &ChallengeRenewRequest::serverId, Presence::Required},
    {"fingerprint", &ChallengeRenewRequest::fingerprint, Presence::Required},
    {"expired_cert", &ChallengeRenewRequest::expiredCert, Presence::Required},
    {"csr", &ChallengeRenewRequest::csr, Presence::Required},
    {"proof", &ChallengeRenewRequest::proof, Presence::Required},
};

constexpr Field<ErrorResponse> kErrorResponseFields[] = {
    {"error", &ErrorResponse::error, Presence::Required},
};

constexpr Field<EnrollmentInfo> kEnrollmentInfoFields[] = {
    {"server_id", &EnrollmentInfo::serverId, Presence::Required},
    {"fingerprint", &EnrollmentInfo::fingerprint, Presence::Required},
};

constexpr Field<DeviceInfo> kDeviceInfoFields[] = {
    {"server_id", &DeviceInfo::serverId, Presence::Required},
    {"fingerprint", &DeviceInfo::fingerprint, Presence::Optional},
    {"hostname", &DeviceInfo::hostname, Presence::Optional},
    {"os", &DeviceInfo::os, Presence::Optional},
    {"arch", &DeviceInfo::arch, Presence::Optional},
    {"status", &DeviceInfo::status, Presence::Optional},
    {"serial", &DeviceInfo::serial, Presence::Optional},
    {"not_after", &DeviceInfo::notAfter, Presence::Optional},
    {"enrolled_at", &DeviceInfo::enrolledAt, Presence::Optional},
    {"renewed_at", &DeviceInfo::renewedAt, Presence::Optional},
};

constexpr QLatin1StringView kRequestBody("request body");
constexpr QLatin1StringView kResponseBody("response body");
constexpr QLatin1StringView kEnrollmentFile("enrollment.json");

// ---- encoding ---------------------------------------------------------------------------

// Go's encoding/json string encoder (encodeState.string with escapeHTML = true).
void appendJsonString(QByteArray &out, const QString &value)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const QByteArray utf8 = value.toUtf8();
    out.reserve(out.size() + utf8.size() + 2);
    out.append('"');
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        switch (byte) {
        case '"': out.append("\\\""); continue;
        case '\\': out.append("\\\\"); continue;
        case '\b': out.append("\\b"); continue;
        case '\f': out.append("\\f"); continue;
        case '\n': out.append("\\n"); continue;
        case '\r': out.append("\\r"); continue;
        case '\t': out.append("\\t"); continue;
        default: break;
        }
        if (byte < 0x20 || byte == '<' || byte == '>' || byte == '&') {
            out.append("\\u00");
            out.append(kHex[byte >> 4]);
            out.append(kHex[byte & 0xf]);
            continue;
        }
        // U+2028 and U+2029 (E2 80 A8/A9) end lines in JavaScript; Go escapes them.
        if (byte == 0xe2 && i + 2 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(utf8[i + 2]) & 0xfe) == 0xa8) {
            out.append("\\u202");
            out.append(kHex[static_cast<unsigned char>(utf8[i + 2]) & 0xf]);
            i += 2;
            continue;
        }
        out.append(static_cast<char>(byte));
    }
    out.append('"');
}

template <typename T> bool isEncoded(const T &message, const Field<T> &field)
{
    return field.presence != Presence::OptionalOmitEmpty || !(message.*(field.member)).isEmpty();
}

template <typename T> QByteArray encodeCompact(const T &message, std::span<const Field<T>> fields)
{
    QByteArray out;
    out.append('{');
    bool first = true;
    for (const Field<T> &field : fields) {
        if (!isEncoded(message, field))
            continue;
        if (!first)
            out.append(',');
        first = false;
        appendJsonString(out, QString::fromLatin1(field.name));
        out.append(':');
        appendJsonString(out, message.*(field.member));
    }
    out.append('}');
    return out;
}

// json.MarshalIndent(v, "", "  ").
template <typename T> QByteArray encodeIndented(const T &message, std::span<const Field<T>> fields)
{
    QByteArray out;
    out.append('{');
    bool first = true;
    for (const Field<T> &field : fields) {
        if (!isEncoded(message, field))
            continue;
        out.append(first ? "\n  " : ",\n  ");
        first = false;
        appendJsonString(out, QString::fromLatin1(field.name));
        out.append(": ");
        appendJsonString(out, message.*(field.member));
    }
    out.append(first ? "}" : "\n}");
    return out;
}

// ---- decoding ---------------------------------------------------------------------------

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool startsJsonValue(char c)
{
    return c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
}

struct ScanError {
    qsizetype offset;
    QString reason;
};

bool isEscapable(char c)
{
    return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't' || c == 'u';
}

// One linear pass before Qt parses anything, for what Qt's parser does not check itself:
//  * nesting depth: Qt recurses once per level and stops only at 1024; we refuse far
//    earlier so that neither its stack use nor a future change of its limit matters;
//  * strings as RFC 8259 (and Go, the reference) define them: Qt silently accepts unknown
//    escapes ("\q" becomes "q") and raw control characters, which would let two
//    implementations read different values from the same body.
// Everything else that is malformed is left to the parser.
std::optional<ScanError> scanStructure(QByteArrayView json, qsizetype from)
{
    int depth = 0;
    bool inString = false;
    for (qsizetype i = from; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (static_cast<unsigned char>(c) < 0x20)
                return ScanError{i, QStringLiteral("control character in string")};
            if (c == '\\') {
                if (i + 1 < json.size() && !isEscapable(json[i + 1]))
                    return ScanError{i, QStringLiteral("invalid escape sequence")};
                ++i; // the hex digits of a 'u' escape are checked by Qt
            } else if (c == '"') {
                inString = false;
            }
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '{':
        case '[':
            if (++depth > kMaxJsonDepth)
                return ScanError{i, QStringLiteral("nested deeper than %1 levels").arg(kMaxJsonDepth)};
            break;
        case '}':
        case ']':
            if (depth > 0)
                --depth;
            break;
        default: break;
        }
    }
    return std::nullopt;
}

Result<QJsonObject> parseObject(QByteArrayView json, QLatin1StringView subject)
{
    if (json.size() > kMaxBodyBytes)
        return Error{QStringLiteral("%1 is larger than %2 bytes").arg(subject).arg(kMaxBodyBytes)};

    qsizetype start = 0;
    if (json.startsWith("\xef\xbb\xbf")) // a UTF-8 byte order mark, tolerated like Qt does
        start = 3;
    while (start < json.size() && isJsonSpace(json[start]))
        ++start;
    if (start == json.size())
        return Error{QStringLiteral("%1 is empty").arg(subject)};
    if (json[start] != '{') {
        if (startsJsonValue(json[start]))
            return Error{QStringLiteral("%1 must be a JSON object").arg(subject)};
        return Error{QStringLiteral("%1 is not valid JSON: illegal value at offset %2").arg(subject).arg(start)};
    }
    if (const auto scanError = scanStructure(json, start)) {
        return Error{QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                         .arg(subject, scanError->reason)
                         .arg(scanError->offset)};
    }

    QJsonParseError parseError{};
    // fromRawData: no copy; the parser only reads within the given length.
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), json.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error{QStringLiteral("%1 is not valid JSON: %2 at offset %3")
                         .arg(subject, parseError.errorString())
                         .arg(parseError.offset)};
    }
    if (!document.isObject())
        return Error{QStringLiteral("%1 must be a JSON object").arg(subject)};
    return document.object();
}

qsizetype utf8Size(const QString &value)
{
    // Each UTF-16 unit takes at most 3 UTF-8 bytes: only convert when that could matter.
    if (value.size() <= kMaxFieldBytes / 3)
        return value.size();
    return value.toUtf8().size();
}

template <typename T>
Result<T> decodeObject(QByteArrayView json, std::span<const Field<T>> fields, QLatin1StringView subject)
{
    const Result<QJsonObject> object = parseObject(json, subject);
    if (!object)
        return object.error();

    T message{};
    for (const Field<T> &field : fields) {
        const QLatin1StringView name(field.name);
        const auto it = object->constFind(name);
        if (it == object->constEnd()) {
            if (field.presence == Presence::Required)
                return Error{QStringLiteral("missing required field \"%1\"").arg(name)};
            continue;
        }
        const QJsonValue value = it.value();
        if (!value.isString())
            return Error{QStringLiteral("field \"%1\" must be a string").arg(name)};
        QString text = value.toString();
        if (field.presence == Presence::Required && text.isEmpty())
            return Error{QStringLiteral("field \"%1\" must not be empty").arg(name)};
        if (utf8Size(text) > kMaxFieldBytes) {
            return Error{QStringLiteral("field \"%1\" is longer than %2 bytes").arg(name).arg(kMaxFieldBytes)};
        }
        message.*(field.member) = std::move(text);
    }
    return message;
}

} // namespace

QByteArray encode(const EnrollRequest &message)
{
    return encodeCompact<EnrollRequest>(message, kEnrollRequestFields);
}

QByteArray encode(const EnrollResponse &message)
{
    return encodeCompact<EnrollResponse>(message, kEnrollResponseFields);
}

QByteArray encode(const RenewRequest &message)
{
    return encodeCompact<RenewRequest>(message, kRenewRequestFields);
}

QByteArray encode(const ChallengeRenewRequest &message)
{
    return encodeCompact<ChallengeRenewRequest>(message, kChallengeRenewRequestFields);
}

QByteArray encode(const ErrorResponse &message)
{
    return encodeCompact<ErrorResponse>(message, kErrorResponseFields);
}

QByteArray encode(const EnrollmentInfo &message)
{
    return encodeIndented<EnrollmentInfo>(message, kEnrollmentInfoFields);
}

QByteArray encode(const DeviceInfo &message)
{
    return encodeCompact<DeviceInfo>(message, kDeviceInfoFields);
}

// By hand rather than QDateTime::toString(Qt::ISODate), which went through time zone
// conversions and was a noticeable part of a guarded request (docs/BENCHMARKS.md).
QString rfc3339(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    using namespace std::chrono;
    const sys_seconds instant{seconds(time.toSecsSinceEpoch())};
    const sys_days day = floor<days>(instant);
    const year_month_day date{day};
    const hh_mm_ss clock{instant - day};
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()), int(clock.hours().count()), int(clock.minutes().count()),
                  int(clock.seconds().count()));
    return QString::fromLatin1(text);
}

Result<EnrollRequest> decodeEnrollRequest(QByteArrayView json)
{
    return decodeObject<EnrollRequest>(json, kEnrollRequestFields, kRequestBody);
}

Result<EnrollResponse> decodeEnrollResponse(QByteArrayView json)
{
    return decodeObject<EnrollResponse>(json, kEnrollResponseFields, kResponseBody);
}

Result<RenewRequest> decodeRenewRequest(QByteArrayView json)
{
    return decodeObject<RenewRequest>(json, kRenewRequestFields, kRequestBody);
}

Result<ChallengeRenewRequest> decodeChallengeRenewRequest(QByteArrayView json)
{
    return decodeObject<ChallengeRenewRequest>(json, kChallengeRenewRequestFields, kRequestBody);
}

Result<ErrorResponse> decodeErrorResponse(QByteArrayView json)
{
    return decodeObject<ErrorResponse>(json, kErrorResponseFields, kResponseBody);
}

Result<EnrollmentInfo> decodeEnrollmentInfo(QByteArrayView json)
{
    return decodeObject<EnrollmentInfo>(json, kEnrollmentInfoFields, kEnrollmentFile);
}

QString describeErrorBody(QByteArrayView body)
{
    constexpr qsizetype kMaxChars = 200;
    QString text;
    if (const auto decoded = decodeErrorResponse(body))
        text = decoded->error;
    else
        text = QString::fromUtf8(body.first(std::min(body.size(), qsizetype(4 * kMaxChars))));

    QString printable;
    printable.reserve(text.size());
    for (const QChar c : std::as_const(text))
        printable.append(c.category() == QChar::Other_Control ? QChar(u' ') : c);
    printable = printable.simplified();
    if (printable.size() > kMaxChars) {
        printable.truncate(printable.at(kMaxChars - 1).isHighSurrogate() ? kMaxChars - 1 : kMaxChars);
        printable.append(QChar(0x2026)); // …
    }
    return printable;
}

} // namespace imprint::protocol
