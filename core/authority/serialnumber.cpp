#include "authority/serialnumber.h"

#include "crypto/random.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>

namespace imprint::authority {

Result<crypto::Asn1IntegerPtr> randomSerialNumber()
{
    constexpr int kSerialBytes = 16;
    for (;;) {
        auto bytes = crypto::randomBytes(kSerialBytes);
        if (!bytes)
            return bytes.error();
        QByteArray raw = std::move(bytes).value();
        raw[0] = char(raw[0] & 0x7f);
        // A zero serial is not allowed; 2^-127 odds, but cheap to rule out.
        if (raw.count('\0') == raw.size())
            continue;
        crypto::BigNumPtr number(
            BN_bin2bn(reinterpret_cast<const unsigned char *>(raw.constData()), kSerialBytes, nullptr));
        if (!number)
            return Result<crypto::Asn1IntegerPtr>::failure(QStringLiteral("cannot make a serial number: %1")
                                                               .arg(crypto::opensslErrorString()));
        crypto::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
        if (!serial)
            return Result<crypto::Asn1IntegerPtr>::failure(QStringLiteral("cannot make a serial number: %1")
                                                               .arg(crypto::opensslErrorString()));
        return serial;
    }
}

} // namespace imprint::authority
