#include "crypto/certificate.h"

#include "crypto/digest.h"
#include "crypto/opensslutil_p.h"
#include "crypto/x509name_p.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <QDate>
#include <QHostAddress>
#include <QTime>

#include <climits>
#include <ctime>

namespace imprint::crypto {

using detail::ErrorQueueScope;

namespace {

// A PEM bundle may carry a whole chain or a CA set; one object is still capped at 64 KiB.
constexpr qsizetype kMaxBundleBytes = 1024 * 1024;

QDateTime toDateTime(const ASN1_TIME *time)
{
    if (!time)
        return {};
    std::tm tm{};
    if (ASN1_TIME_to_tm(time, &tm) != 1)
        return {};
    const QDate date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    const QTime clock(tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (!date.isValid() || !clock.isValid())
        return {};
    return QDateTime(date, clock, Qt::UTC);
}

bool isCertificateBlock(const QByteArray &name)
{
    return name == "CERTIFICATE" || name == "X509 CERTIFICATE";
}

Result<X509Ptr> parseDer(QByteArrayView der)
{
    using R = Result<X509Ptr>;
    if (Status size = detail::checkInputSize(der, detail::kMaxObjectBytes, QStringLiteral("certificate")); !size)
        return size.error();
    const auto *begin = reinterpret_cast<const unsigned char *>(der.data());
    const unsigned char *cursor = begin;
    X509Ptr certificate(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
    if (!certificate)
        return R::failure(withOpensslError(QStringLiteral("certificate cannot be parsed")));
    if (cursor != begin + der.size())
        return R::failure(QStringLiteral("certificate has trailing data after its encoding"));
    return R(std::move(certificate));
}

// Reads the certificate blocks of `pem`; stops after the first when `firstOnly`.
Result<QList<Certificate>> readPem(QByteArrayView pem, qsizetype maxBytes, bool firstOnly,
                                   Result<Certificate> (*fromDer)(QByteArrayView))
{
    using R = Result<QList<Certificate>>;
    const QString what = QStringLiteral("certificate");
    if (Status size = detail::checkInputSize(pem, maxBytes, what); !size)
        return size.error();
    QList<Certificate> certificates;
    QString failure;
    const Status read = detail::forEachPemBlock(pem, what, [&](detail::PemBlock &block) {
        if (!isCertificateBlock(block.name))
            return true;
        auto certificate = fromDer(block.der);
        if (!certificate) {
            failure = certificates.isEmpty()
                ? certificate.errorMessage()
                : QStringLiteral("certificate %1 of the bundle: %2").arg(certificates.size() + 1).arg(certificate.errorMessage());
            return false;
        }
        certificates.append(std::move(certificate).value());
        return !firstOnly;
    });
    if (!read)
        return read.error();
    if (!failure.isEmpty())
        return R::failure(failure);
    if (certificates.isEmpty())
        return R::failure(QStringLiteral("no \"CERTIFICATE\" PEM block found"));
    return certificates;
}

template <typename T>
QByteArray i2dBytes(int (*encode)(T *, unsigned char **), T *object)
{
    if (!object)
        return {};
    unsigned char *buffer = nullptr;
    const int length = encode(object, &buffer);
    if (length <= 0 || !buffer)
        return {};
    const QByteArray der(reinterpret_cast<const char *>(buffer), length);
    OPENSSL_free(buffer);
    return der;
}

} // namespace

Certificate::Certificate(const Certificate &other)
    : m_publicKey(other.m_publicKey)
{
    if (other.m_cert && X509_up_ref(other.m_cert.get()) == 1)
        m_cert.reset(other.m_cert.get());
    else
        m_publicKey = PublicKey();
}

Certificate &Certificate::operator=(const Certificate &other)
{
    if (this != &other)
        *this = Certificate(other);
    return *this;
}

Result<Certificate> Certificate::adopt(X509Ptr certificate)
{
    using R = Result<Certificate>;
    if (!certificate)
        return R::failure(QStringLiteral("no certificate"));
    ErrorQueueScope errorScope;
    // Parses and caches the extensions; malformed or contradictory ones (bad key usage,
    // bad basic constraints, unreadable subjectAltName ...) make the certificate unusable.
    if (X509_check_purpose(certificate.get(), -1, 0) != 1
        || (X509_get_extension_flags(certificate.get()) & EXFLAG_INVALID))
        return R::failure(withOpensslError(QStringLiteral("certificate has malformed extensions")));
    if (!toDateTime(X509_get0_notBefore(certificate.get())).isValid()
        || !toDateTime(X509_get0_notAfter(certificate.get())).isValid())
        return R::failure(withOpensslError(QStringLiteral("certificate validity dates cannot be read")));
    EVP_PKEY *key = X509_get0_pubkey(certificate.get());
    if (!key)
        return R::failure(withOpensslError(QStringLiteral("certificate public key cannot be read")));
    auto publicKey = PublicKey::sharing(key);
    if (!publicKey)
        return R::failure(QStringLiteral("certificate public key cannot be used: %1").arg(publicKey.errorMessage()));
    Certificate result;
    result.m_cert = std::move(certificate);
    result.m_publicKey = std::move(publicKey).value();
    return R(std::move(result));
}

Result<Certificate> Certificate::fromDer(QByteArrayView der)
{
    ErrorQueueScope errorScope;
    auto parsed = parseDer(der);
    if (!parsed)
        return parsed.error();
    return adopt(std::move(parsed).value());
}

Result<Certificate> Certificate::fromPem(QByteArrayView pem)
{
    auto certificates = readPem(pem, detail::kMaxObjectBytes, true, &Certificate::fromDer);
    if (!certificates)
        return certificates.error();
    return Result<Certificate>(certificates->constFirst());
}

Result<QList<Certificate>> Certificate::chainFromPem(QByteArrayView pem)
{
    return readPem(pem, kMaxBundleBytes, false, &Certificate::fromDer);
}

Result<Certificate> Certificate::fromHandle(X509 *certificate)
{
    if (!certificate || X509_up_ref(certificate) != 1)
        return Result<Certificate>::failure(QStringLiteral("no certificate"));
    return adopt(X509Ptr(certificate));
}

QString Certificate::subjectCommonName() const
{
    return m_cert ? detail::nameEntry(X509_get_subject_name(m_cert.get()), NID_commonName) : QString();
}

QString Certificate::subjectOrganization() const
{
    return m_cert ? detail::nameEntry(X509_get_subject_name(m_cert.get()), NID_organizationName) : QString();
}

QString Certificate::issuerCommonName() const
{
    return m_cert ? detail::nameEntry(X509_get_issuer_name(m_cert.get()), NID_commonName) : QString();
}

QString Certificate::issuerOrganization() const
{
    return m_cert ? detail::nameEntry(X509_get_issuer_name(m_cert.get()), NID_organizationName) : QString();
}

QString Certificate::subjectText() const
{
    return m_cert ? detail::nameText(X509_get_subject_name(m_cert.get())) : QString();
}

QString Certificate::issuerText() const
{
    return m_cert ? detail::nameText(X509_get_issuer_name(m_cert.get())) : QString();
}

QString Certificate::serialHex() const
{
    if (!m_cert)
        return {};
    ErrorQueueScope errorScope;
    BigNumPtr number(ASN1_INTEGER_to_BN(X509_get0_serialNumber(m_cert.get()), nullptr));
    if (!number)
        return {};
    char *hex = BN_bn2hex(number.get());
    if (!hex)
        return {};
    QString text = QString::fromLatin1(hex).toLower();
    OPENSSL_free(hex);
    const bool negative = text.startsWith(QLatin1Char('-'));
    if (negative)
        text.remove(0, 1);
    qsizetype zeros = 0;
    while (zeros < text.size() - 1 && text.at(zeros) == QLatin1Char('0'))
        ++zeros;
    text.remove(0, zeros);
    if (text.isEmpty())
        text = QStringLiteral("0");
    return negative && text != QLatin1String("0") ? QLatin1Char('-') + text : text;
}

QDateTime Certificate::notBefore() const
{
    return m_cert ? toDateTime(X509_get0_notBefore(m_cert.get())) : QDateTime();
}

QDateTime Certificate::notAfter() const
{
    return m_cert ? toDateTime(X509_get0_notAfter(m_cert.get())) : QDateTime();
}

bool Certificate::hasKeyUsageExtension() const
{
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_KUSAGE);
}

KeyUsage Certificate::keyUsage() const
{
    if (!hasKeyUsageExtension())
        return {};
    return KeyUsage::fromInt(X509_get_key_usage(m_cert.get()) & 0xffffu);
}

bool Certificate::hasExtendedKeyUsageClientAuth() const
{
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_XKUSAGE)
        && (X509_get_extended_key_usage(m_cert.get()) & XKU_SSL_CLIENT);
}

bool Certificate::hasExtendedKeyUsageServerAuth() const
{
    return m_cert && (X509_get_extension_flags(m_cert.get()) & EXFLAG_XKUSAGE)
        && (X509_get_extended_key_usage(m_cert.get()) & XKU_SSL_SERVER);
}

bool Certificate::isCa() const
{
    if (!m_cert)
        return false;
    const uint32_t flags = X509_get_extension_flags(m_cert.get());
    return (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA);
}

int Certificate::pathLength() const
{
    if (!m_cert)
        return -1;
    const long length = X509_get_pathlen(m_cert.get());
    return length < 0 || length > INT_MAX ? -1 : static_cast<int>(length);
}

namespace {
QStringList subjectAltNames(X509 *certificate, int type)
{
    QStringList names;
    if (!certificate)
        return names;
    ErrorQueueScope errorScope;
    GeneralNamesPtr generalNames(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
    if (!generalNames)
        return names;
    for (int i = 0; i < sk_GENERAL_NAME_num(generalNames.get()); ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(generalNames.get(), i);
        if (!name || name->type != type)
            continue;
        if (type == GEN_IPADD) {
            const ASN1_OCTET_STRING *address = name->d.iPAddress;
            const unsigned char *bytes = ASN1_STRING_get0_data(address);
            const int length = ASN1_STRING_length(address);
            if (length == 4) {
                names.append(QHostAddress(quint32(bytes[0]) << 24 | quint32(bytes[1]) << 16
                                          | quint32(bytes[2]) << 8 | quint32(bytes[3]))
                                 .toString());
            } else if (length == 16) {
                names.append(QHostAddress(bytes).toString());
            }
        } else {
            const ASN1_IA5STRING *text = type == GEN_URI ? name->d.uniformResourceIdentifier : name->d.dNSName;
            names.append(QString::fromLatin1(reinterpret_cast<const char *>(ASN1_STRING_get0_data(text)),
                                             ASN1_STRING_length(text)));
        }
    }
    return names;
}
} // namespace

QStringList Certificate::sanUris() const
{
    return subjectAltNames(m_cert.get(), GEN_URI);
}

QStringList Certificate::sanDnsNames() const
{
    return subjectAltNames(m_cert.get(), GEN_DNS);
}

QStringList Certificate::sanIpAddresses() const
{
    return subjectAltNames(m_cert.get(), GEN_IPADD);
}

QByteArray Certificate::sha256OfDer() const
{
    const QByteArray der = toDer();
    return der.isEmpty() ? QByteArray() : sha256(der);
}

QString Certificate::pin() const
{
    const QByteArray digest = sha256OfDer();
    return digest.isEmpty() ? QString() : QStringLiteral("sha256:") + QString::fromLatin1(digest.toHex());
}

QByteArray Certificate::toPem() const
{
    if (!m_cert)
        return {};
    ErrorQueueScope errorScope;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), m_cert.get()) != 1)
        return {};
    return detail::bioContents(bio.get());
}

QByteArray Certificate::toDer() const
{
    ErrorQueueScope errorScope;
    return i2dBytes<const X509>(&i2d_X509, m_cert.get());
}

bool Certificate::equals(const Certificate &other) const
{
    if (!m_cert || !other.m_cert)
        return false;
    ErrorQueueScope errorScope;
    return X509_cmp(m_cert.get(), other.m_cert.get()) == 0;
}

bool Certificate::isSignedBy(const Certificate &issuer) const
{
    if (!m_cert || !issuer.m_cert)
        return false;
    ErrorQueueScope errorScope;
    EVP_PKEY *issuerKey = X509_get0_pubkey(issuer.m_cert.get());
    return issuerKey && X509_check_issued(issuer.m_cert.get(), m_cert.get()) == X509_V_OK
        && X509_verify(m_cert.get(), issuerKey) == 1;
}

bool Certificate::matchesPrivateKey(const PrivateKey &key) const
{
    if (!m_cert || key.isNull())
        return false;
    ErrorQueueScope errorScope;
    return X509_check_private_key(m_cert.get(), key.get()) == 1;
}

} // namespace imprint::crypto
