#pragma once

#include "common/result.h"
#include "crypto/handles.h"
#include "crypto/privatekey.h"
#include "crypto/publickey.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace imprint::crypto {

// A PKCS#10 request, PEM "CERTIFICATE REQUEST", subject CN=`commonName` only, signed by
// `key` (ECDSA and RSA with SHA-256, Ed25519/Ed448 pure). Fails on a null key, an empty
// common name or one longer than 64 characters.
Result<QByteArray> createCsr(const PrivateKey &key, const QString &commonName);

// A parsed certificate request whose self-signature has been verified. Move-only; a
// default-constructed or moved-from Csr is null (empty accessors, null public key).
class Csr {
public:
    Csr() = default;
    Csr(Csr &&other) noexcept = default;
    Csr &operator=(Csr &&other) noexcept = default;
    Csr(const Csr &) = delete;
    Csr &operator=(const Csr &) = delete;
    ~Csr() = default;

    // First "CERTIFICATE REQUEST" block of `pem` (at most 64 KiB); its signature must
    // verify with its own public key, else "CSR signature is invalid". The key type is
    // not judged here (see keypolicy.h).
    static Result<Csr> parse(QByteArrayView pem);

    bool isNull() const noexcept { return !m_req; }
    PublicKey publicKey() const { return m_publicKey; }
    // The first CN of the subject (UTF-8); empty if there is none.
    QString subjectCommonName() const;
    // Re-encoded from the parsed object: same DER, but PEM line layout may differ from
    // the input, so a proof (proof.h) must use the PEM text exactly as received.
    QByteArray toPem() const;
    QByteArray toDer() const;
    X509_REQ *get() const noexcept { return m_req.get(); }

private:
    X509ReqPtr m_req;
    PublicKey m_publicKey;
};

} // namespace imprint::crypto
