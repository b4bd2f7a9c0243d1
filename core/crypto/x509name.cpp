#include "crypto/x509name_p.h"

#include "crypto/opensslutil_p.h"

#include <openssl/crypto.h>

namespace imprint::crypto::detail {

QString nameEntry(const X509_NAME *name, int nid)
{
    if (!name)
        return {};
    ErrorQueueScope errorScope;
    const int index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0)
        return {};
    const ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    if (!value)
        return {};
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length < 0 || !utf8)
        return {};
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return text;
}

QString nameText(const X509_NAME *name)
{
    if (!name)
        return {};
    ErrorQueueScope errorScope;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        return {};
    return QString::fromUtf8(bioContents(bio.get()));
}

} // namespace imprint::crypto::detail
