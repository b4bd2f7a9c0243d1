#include "crypto/opensslutil_p.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <QStringList>

#include <climits>

namespace imprint::crypto {

QString opensslErrorString()
{
    QStringList parts;
    for (;;) {
        const char *data = nullptr;
        int flags = 0;
        const unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
        if (code == 0)
            break;
        const char *reason = ERR_reason_error_string(code);
        const char *library = ERR_lib_error_string(code);
        QString part = reason ? QString::fromUtf8(reason)
                              : QStringLiteral("error code %1").arg(ERR_GET_REASON(code));
        if (library)
            part = QString::fromUtf8(library) + QStringLiteral(": ") + part;
        if ((flags & ERR_TXT_STRING) && data && *data)
            part += QStringLiteral(" (") + QString::fromUtf8(data) + QLatin1Char(')');
        if (!parts.contains(part))
            parts.append(part);
    }
    return parts.join(QStringLiteral("; "));
}

QString withOpensslError(const QString &message)
{
    const QString details = opensslErrorString();
    return details.isEmpty() ? message : message + QStringLiteral(": ") + details;
}

namespace detail {

ErrorQueueScope::ErrorQueueScope()
{
    ERR_set_mark();
}

ErrorQueueScope::~ErrorQueueScope()
{
    // Without a mark (the queue was empty at the start) this clears the whole queue,
    // which is what we want too.
    ERR_pop_to_mark();
}

BioPtr readOnlyBio(QByteArrayView data)
{
    if (data.isEmpty() || data.size() > INT_MAX)
        return nullptr;
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    if (size <= 0 || !data)
        return {};
    return QByteArray(data, static_cast<qsizetype>(size));
}

void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
}

Status checkInputSize(QByteArrayView data, qsizetype maxBytes, const QString &what)
{
    if (data.isEmpty())
        return Status::failure(QStringLiteral("%1 is empty").arg(what));
    if (data.size() > maxBytes)
        return Status::failure(QStringLiteral("%1 is too large (%2 bytes, at most %3 accepted)")
                                   .arg(what)
                                   .arg(data.size())
                                   .arg(maxBytes));
    return Status::success();
}

Status forEachPemBlock(QByteArrayView pem, const QString &what, const std::function<bool(PemBlock &)> &visit)
{
    BioPtr bio = readOnlyBio(pem);
    if (!bio)
        return Status::failure(withOpensslError(QStringLiteral("cannot read %1 PEM").arg(what)));
    for (;;) {
        char *name = nullptr;
        char *headers = nullptr;
        unsigned char *data = nullptr;
        long length = 0;
        if (PEM_read_bio(bio.get(), &name, &headers, &data, &length) != 1) {
            const unsigned long code = ERR_peek_last_error();
            if (ERR_GET_LIB(code) == ERR_LIB_PEM && ERR_GET_REASON(code) == PEM_R_NO_START_LINE) {
                ERR_clear_error();
                return Status::success(); // no further block
            }
            return Status::failure(withOpensslError(QStringLiteral("%1 PEM is malformed").arg(what)));
        }
        PemBlock block;
        block.name = QByteArray(name);
        block.headers = QByteArray(headers ? headers : "");
        block.der = QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(length));
        OPENSSL_free(name);
        OPENSSL_free(headers);
        OPENSSL_clear_free(data, static_cast<size_t>(length));
        const bool more = visit(block);
        wipe(block.der);
        if (!more)
            return Status::success();
    }
}

} // namespace detail
} // namespace imprint::crypto
