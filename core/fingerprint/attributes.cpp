#include "fingerprint/attributes.h"

#include <QCryptographicHash>

#include <algorithm>

namespace imprint::fingerprint {

namespace {

QString sha256Fingerprint(const QByteArray &digest)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(digest.toHex());
}

} // namespace

QString normalise(const QString &value)
{
    return value.trimmed().toLower();
}

QList<Attribute> sortedByKey(QList<Attribute> attributes)
{
    // Byte order of the UTF-8 encoding, as the reference's Go string comparison: for
    // non-ASCII keys this differs from QString's UTF-16 order.
    std::stable_sort(attributes.begin(), attributes.end(),
                     [](const Attribute &a, const Attribute &b) { return a.key.toUtf8() < b.key.toUtf8(); });
    return attributes;
}

QString hashAttributes(QList<Attribute> attributes)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Attribute &attribute : sortedByKey(std::move(attributes))) {
        hash.addData(attribute.key.toUtf8());
        hash.addData("=");
        hash.addData(attribute.value.toUtf8());
        hash.addData("\n");
    }
    return sha256Fingerprint(hash.result());
}

QString fingerprintFromUuid(const QString &uuid)
{
    return sha256Fingerprint(QCryptographicHash::hash(uuid.toUtf8(), QCryptographicHash::Sha256));
}

bool isWellFormedFingerprint(const QString &text)
{
    static constexpr QLatin1String prefix("sha256:");
    if (text.size() != prefix.size() + 64 || !text.startsWith(prefix))
        return false;
    return std::all_of(text.cbegin() + prefix.size(), text.cend(),
                       [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); });
}

} // namespace imprint::fingerprint
