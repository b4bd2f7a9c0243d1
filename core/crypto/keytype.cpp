#include "crypto/keytype.h"

#include "crypto/opensslutil_p.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <cstring>

namespace imprint::crypto {

namespace {

QByteArray stringParam(const EVP_PKEY *key, const char *name)
{
    char buffer[80] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, name, buffer, sizeof buffer, &length) != 1)
        return {};
    return QByteArray(buffer, static_cast<qsizetype>(strnlen(buffer, sizeof buffer)));
}

bool hasExplicitCurve(const EVP_PKEY *key)
{
    return stringParam(key, OSSL_PKEY_PARAM_EC_ENCODING) == OSSL_PKEY_EC_ENCODING_EXPLICIT;
}

// "P-256" for NIST curves, otherwise OpenSSL's short name ("secp256k1"); empty when the
// key has no named curve.
QString curveName(const EVP_PKEY *key)
{
    const QByteArray group = stringParam(key, OSSL_PKEY_PARAM_GROUP_NAME);
    if (group.isEmpty())
        return {};
    int nid = OBJ_sn2nid(group.constData());
    if (nid == NID_undef)
        nid = OBJ_txt2nid(group.constData());
    if (nid != NID_undef) {
        if (const char *nist = EC_curve_nid2nist(nid))
            return QString::fromLatin1(nist);
    }
    return QString::fromLatin1(group);
}

} // namespace

QString keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::EcP256:
        return QStringLiteral("ECDSA P-256");
    case KeyType::EcOther:
        return QStringLiteral("ECDSA");
    case KeyType::Ed25519:
        return QStringLiteral("Ed25519");
    case KeyType::Rsa:
        return QStringLiteral("RSA");
    case KeyType::Other:
        break;
    }
    return QStringLiteral("other");
}

KeyType keyTypeOf(const EVP_PKEY *key)
{
    if (!key)
        return KeyType::Other;
    detail::ErrorQueueScope errorScope;
    if (EVP_PKEY_is_a(key, "EC")) {
        if (hasExplicitCurve(key))
            return KeyType::EcOther;
        return curveName(key) == QLatin1String("P-256") ? KeyType::EcP256 : KeyType::EcOther;
    }
    if (EVP_PKEY_is_a(key, "ED25519"))
        return KeyType::Ed25519;
    if (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS"))
        return KeyType::Rsa;
    return KeyType::Other;
}

QString describeKey(const EVP_PKEY *key)
{
    if (!key)
        return QStringLiteral("no key");
    detail::ErrorQueueScope errorScope;
    const int bits = EVP_PKEY_get_bits(key);
    if (EVP_PKEY_is_a(key, "EC")) {
        const QString curve = curveName(key);
        QString text = curve.isEmpty() ? QStringLiteral("ECDSA") : QStringLiteral("ECDSA ") + curve;
        if (hasExplicitCurve(key))
            text += QStringLiteral(" (explicit curve parameters)");
        return text;
    }
    if (EVP_PKEY_is_a(key, "ED25519"))
        return QStringLiteral("Ed25519");
    if (EVP_PKEY_is_a(key, "ED448"))
        return QStringLiteral("Ed448");
    if (EVP_PKEY_is_a(key, "X25519"))
        return QStringLiteral("X25519");
    if (EVP_PKEY_is_a(key, "X448"))
        return QStringLiteral("X448");
    QString name;
    if (EVP_PKEY_is_a(key, "RSA"))
        name = QStringLiteral("RSA");
    else if (EVP_PKEY_is_a(key, "RSA-PSS"))
        name = QStringLiteral("RSA-PSS");
    else if (const char *typeName = EVP_PKEY_get0_type_name(key))
        name = QString::fromLatin1(typeName);
    else
        name = QStringLiteral("unknown");
    return bits > 0 ? QStringLiteral("%1 %2").arg(name).arg(bits) : name;
}

} // namespace imprint::crypto
