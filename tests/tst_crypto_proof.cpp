// The challenge-renewal proof (PROTOCOL.md section 3), checked against `openssl dgst`
// (ECDSA) and `openssl pkeyutl -rawin` (Ed25519).

#include "crypto/csr.h"
#include "crypto/digest.h"
#include "crypto/privatekey.h"
#include "crypto/proof.h"
#include "support/cryptofixtures.h"

#include <QTest>

#include <openssl/err.h>

using namespace imprint;
using namespace imprint::crypto;
using imprint::testing::OpensslWorkspace;

namespace {
const QString kServerId = QStringLiteral("srv_0123456789abcdef0123456789abcdef");
const QString kFingerprint = QStringLiteral("sha256:bec89fc231de06b60daa39e7525024ef921e0dbfb860a1bc6f75ba11a0fd2f7c");

QByteArray message(const QString &serverId, const QString &fingerprint, const QByteArray &csrPem)
{
    return serverId.toUtf8() + '\n' + fingerprint.toUtf8() + '\n' + csrPem;
}

PrivateKey generate(const QString &kind)
{
    auto key = kind == QLatin1String("ed25519") ? PrivateKey::generateEd25519() : PrivateKey::generateP256();
    return key.ok() ? std::move(key).value() : PrivateKey();
}

QByteArray newCsr()
{
    const PrivateKey key = generate("p256");
    const auto csr = createCsr(key, kServerId);
    return csr.ok() ? csr.value() : QByteArray();
}
} // namespace

class TestCryptoProof : public QObject {
    Q_OBJECT

private slots:
    void proofDigestIsSha256OfMessage();
    void ecdsaProofVerifiedByOpenssl();
    void opensslEcdsaProofVerifiedByUs();
    void ed25519ProofVerifiedByOpenssl();
    void opensslEd25519ProofVerifiedByUs();
    void refusesWrongProofs_data();
    void refusesWrongProofs();
    void refusesMalformedBase64_data();
    void refusesMalformedBase64();
    void refusesKeyTypes_data();
    void refusesKeyTypes();
    void refusesNullKeys();
};

void TestCryptoProof::proofDigestIsSha256OfMessage()
{
    const QByteArray csr = newCsr();
    QVERIFY(!csr.isEmpty());
    const auto oracle = testing::runOpenssl({"dgst", "-sha256", "-binary"}, message(kServerId, kFingerprint, csr));
    IMPRINT_VERIFY_PROCESS(oracle);
    QCOMPARE(proofDigest(kServerId, kFingerprint, csr), oracle.out);
    QCOMPARE(proofDigest(kServerId, kFingerprint, csr).size(), 32);
    // Fields are UTF-8; each field and separator counts.
    const QString nonAscii = QStringLiteral("srv_ü");
    QCOMPARE(proofDigest(nonAscii, kFingerprint, csr), sha256(message(nonAscii, kFingerprint, csr)));
    QVERIFY(proofDigest(kFingerprint, kServerId, csr) != proofDigest(kServerId, kFingerprint, csr));
}

void TestCryptoProof::ecdsaProofVerifiedByOpenssl()
{
    OpensslWorkspace ws;
    const PrivateKey key = generate("p256");
    const QByteArray csr = newCsr();
    QVERIFY(ws.write("pub.pem", key.publicKey().toPem()));
    QVERIFY(ws.write("msg", message(kServerId, kFingerprint, csr)));
    // ECDSA is randomised: check several signatures.
    for (int i = 0; i < 5; ++i) {
        const auto proof = signProof(key, kServerId, kFingerprint, csr);
        QVERIFY2(proof.ok(), qPrintable(proof.ok() ? QString() : proof.errorMessage()));
        const auto signature = QByteArray::fromBase64Encoding(proof.value(), QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(signature);
        QCOMPARE((*signature).toBase64(), proof.value()); // standard alphabet, padded
        QVERIFY((*signature).startsWith('\x30'));          // DER SEQUENCE (r, s)
        QVERIFY(ws.write("sig.der", *signature));
        const auto verify = ws.run({"dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "msg"});
        IMPRINT_VERIFY_PROCESS(verify);
        QCOMPARE(verify.out.trimmed(), QByteArray("Verified OK"));
        const Status ours = verifyProof(key.publicKey(), kServerId, kFingerprint, csr, proof.value());
        QVERIFY2(ours.ok(), qPrintable(ours.ok() ? QString() : ours.errorMessage()));
    }
}

void TestCryptoProof::opensslEcdsaProofVerifiedByUs()
{
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey("p256-sec1", "k.pem"));
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    const auto publicKey = PublicKey::fromPem(pub.out);
    QVERIFY(publicKey.ok());
    const QByteArray csr = newCsr();
    QVERIFY(ws.write("msg", message(kServerId, kFingerprint, csr)));
    IMPRINT_VERIFY_PROCESS(ws.run({"dgst", "-sha256", "-sign", "k.pem", "-out", "sig.der", "msg"}));
    const QByteArray proof = ws.read("sig.der").toBase64();
    const Status status = verifyProof(publicKey.value(), kServerId, kFingerprint, csr, proof);
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.errorMessage()));

    // And our signature with the key openssl made verifies with the same public key.
    const auto key = PrivateKey::fromPem(ws.read("k.pem"));
    QVERIFY(key.ok());
    const auto ours = signProof(key.value(), kServerId, kFingerprint, csr);
    QVERIFY(ours.ok());
    QVERIFY(verifyProof(publicKey.value(), kServerId, kFingerprint, csr, ours.value()).ok());
}

void TestCryptoProof::ed25519ProofVerifiedByOpenssl()
{
    OpensslWorkspace ws;
    const PrivateKey key = generate("ed25519");
    const QByteArray csr = newCsr();
    const auto proof = signProof(key, kServerId, kFingerprint, csr);
    QVERIFY2(proof.ok(), qPrintable(proof.ok() ? QString() : proof.errorMessage()));
    const QByteArray signature = QByteArray::fromBase64(proof.value());
    QCOMPARE(signature.size(), 64);
    QVERIFY(ws.write("pub.pem", key.publicKey().toPem()));
    QVERIFY(ws.write("digest.bin", proofDigest(kServerId, kFingerprint, csr)));
    QVERIFY(ws.write("sig.bin", signature));
    const auto verify = ws.run(
        {"pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "digest.bin", "-sigfile", "sig.bin"});
    IMPRINT_VERIFY_PROCESS(verify);
    QVERIFY(verify.out.contains("Signature Verified Successfully"));
    QVERIFY(verifyProof(key.publicKey(), kServerId, kFingerprint, csr, proof.value()).ok());
}

void TestCryptoProof::opensslEd25519ProofVerifiedByUs()
{
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey("ed25519", "k.pem"));
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    const QByteArray csr = newCsr();
    QVERIFY(ws.write("digest.bin", proofDigest(kServerId, kFingerprint, csr)));
    IMPRINT_VERIFY_PROCESS(
        ws.run({"pkeyutl", "-sign", "-inkey", "k.pem", "-rawin", "-in", "digest.bin", "-out", "sig.bin"}));
    const QByteArray proof = ws.read("sig.bin").toBase64();
    const auto publicKey = PublicKey::fromPem(pub.out);
    QVERIFY(publicKey.ok());
    const Status status = verifyProof(publicKey.value(), kServerId, kFingerprint, csr, proof);
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.errorMessage()));

    // Ed25519 is deterministic: our signature with the same key is byte-identical.
    const auto key = PrivateKey::fromPem(ws.read("k.pem"));
    QVERIFY(key.ok());
    const auto ours = signProof(key.value(), kServerId, kFingerprint, csr);
    QVERIFY(ours.ok());
    QCOMPARE(ours.value(), proof);
}

void TestCryptoProof::refusesWrongProofs_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("change");
    for (const char *kind : {"p256", "ed25519"}) {
        for (const char *change : {"tampered signature", "trailing byte", "other CSR", "CSR one byte longer",
                                   "other server_id", "other fingerprint", "wrong key", "other key type"})
            QTest::addRow("%s: %s", kind, change) << QString::fromLatin1(kind) << QString::fromLatin1(change);
    }
}

void TestCryptoProof::refusesWrongProofs()
{
    QFETCH(QString, kind);
    QFETCH(QString, change);
    const PrivateKey key = generate(kind);
    const QByteArray csr = newCsr();
    const auto proof = signProof(key, kServerId, kFingerprint, csr);
    QVERIFY(proof.ok());
    QVERIFY(verifyProof(key.publicKey(), kServerId, kFingerprint, csr, proof.value()).ok());

    PublicKey publicKey = key.publicKey();
    QString serverId = kServerId;
    QString fingerprint = kFingerprint;
    QByteArray csrPem = csr;
    QByteArray signature = QByteArray::fromBase64(proof.value());
    if (change == QLatin1String("tampered signature"))
        signature[signature.size() / 2] = char(signature.at(signature.size() / 2) ^ 0x10);
    else if (change == QLatin1String("trailing byte"))
        signature += '\0';
    else if (change == QLatin1String("other CSR"))
        csrPem = newCsr();
    else if (change == QLatin1String("CSR one byte longer"))
        csrPem += '\n';
    else if (change == QLatin1String("other server_id"))
        serverId = QStringLiteral("srv_ffffffffffffffffffffffffffffffff");
    else if (change == QLatin1String("other fingerprint"))
        fingerprint[fingerprint.size() - 1] = QLatin1Char('d');
    else if (change == QLatin1String("wrong key"))
        publicKey = generate(kind).publicKey();
    else if (change == QLatin1String("other key type"))
        publicKey = generate(kind == QLatin1String("p256") ? "ed25519" : "p256").publicKey();

    const Status status = verifyProof(publicKey, serverId, fingerprint, csrPem, signature.toBase64());
    QVERIFY(!status.ok());
    QCOMPARE(status.errorMessage(), QStringLiteral("proof signature does not verify"));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoProof::refusesMalformedBase64_data()
{
    QTest::addColumn<QByteArray>("proof");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << "proof is empty";
    QTest::newRow("padding only") << QByteArray("====") << "proof is not valid base64";
    QTest::newRow("invalid characters") << QByteArray("!!!!") << "proof is not valid base64";
    QTest::newRow("URL alphabet") << QByteArray("MEUCIQ-_") << "proof is not valid base64";
    QTest::newRow("missing padding") << QByteArray("MEUCIQ") << "proof is not valid base64";
    QTest::newRow("padding in the middle") << QByteArray("ME==MEUC") << "proof is not valid base64";
    QTest::newRow("three padding characters") << QByteArray("MEU===") << "proof is not valid base64";
    QTest::newRow("newline") << QByteArray("MEUC\nIQAA") << "proof is not valid base64";
    QTest::newRow("space") << QByteArray(" MEUCIQA=") << "proof is not valid base64";
    QTest::newRow("NUL") << QByteArray("MEUC\0IQA", 8) << "proof is not valid base64";
    QTest::newRow("non-ASCII") << QByteArray("MEUCIQ\xc3\xa4") << "proof is not valid base64";
    QTest::newRow("valid base64, not a signature") << QByteArray("aGVsbG8=") << "proof signature does not verify";
    QTest::newRow("huge") << QByteArray(1024 * 1024, 'A') << "proof is too long";
}

void TestCryptoProof::refusesMalformedBase64()
{
    QFETCH(QByteArray, proof);
    QFETCH(QString, message);
    const QByteArray csr = newCsr();
    for (const char *kind : {"p256", "ed25519"}) {
        const PrivateKey key = generate(kind);
        const Status status = verifyProof(key.publicKey(), kServerId, kFingerprint, csr, proof);
        QVERIFY(!status.ok());
        QCOMPARE(status.errorMessage(), message);
    }
}

void TestCryptoProof::refusesKeyTypes_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("description");
    QTest::newRow("RSA 2048") << "rsa2048" << "RSA 2048";
    QTest::newRow("P-384") << "p384" << "ECDSA P-384";
    QTest::newRow("secp256k1") << "secp256k1" << "ECDSA secp256k1";
    QTest::newRow("Ed448") << "ed448" << "Ed448";
}

void TestCryptoProof::refusesKeyTypes()
{
    QFETCH(QString, kind);
    QFETCH(QString, description);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const auto key = PrivateKey::fromPem(ws.read("k.pem"));
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.errorMessage()));
    const QByteArray csr = newCsr();
    const QString expected = QStringLiteral("key type %1 cannot sign proofs").arg(description);

    const auto signedProof = signProof(key.value(), kServerId, kFingerprint, csr);
    QVERIFY(!signedProof.ok());
    QVERIFY2(signedProof.errorMessage().startsWith(expected), qPrintable(signedProof.errorMessage()));

    // A proof openssl makes with such a key is refused for the key type, before any check.
    QVERIFY(ws.write("msg", message(kServerId, kFingerprint, csr)));
    const QStringList signArgs = kind == QLatin1String("ed448")
        ? QStringList{"pkeyutl", "-sign", "-inkey", "k.pem", "-rawin", "-in", "msg", "-out", "sig.bin"}
        : QStringList{"dgst", "-sha256", "-sign", "k.pem", "-out", "sig.bin", "msg"};
    IMPRINT_VERIFY_PROCESS(ws.run(signArgs));
    const Status status =
        verifyProof(key->publicKey(), kServerId, kFingerprint, csr, ws.read("sig.bin").toBase64());
    QVERIFY(!status.ok());
    QVERIFY2(status.errorMessage().startsWith(expected), qPrintable(status.errorMessage()));
}

void TestCryptoProof::refusesNullKeys()
{
    const QByteArray csr = newCsr();
    const auto signedProof = signProof(PrivateKey(), kServerId, kFingerprint, csr);
    QVERIFY(!signedProof.ok());
    QVERIFY(!signedProof.errorMessage().isEmpty());
    const Status status = verifyProof(PublicKey(), kServerId, kFingerprint, csr, "MEUCIQA=");
    QVERIFY(!status.ok());
    QVERIFY(!status.errorMessage().isEmpty());
}

QTEST_GUILESS_MAIN(TestCryptoProof)
#include "tst_crypto_proof.moc"
