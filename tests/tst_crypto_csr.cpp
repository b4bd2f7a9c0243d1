// Certificate requests of core/crypto, checked against `openssl req`.

#include "crypto/csr.h"
#include "crypto/keypolicy.h"
#include "crypto/privatekey.h"
#include "support/cryptofixtures.h"

#include <QTest>

#include <openssl/err.h>

using namespace imprint;
using namespace imprint::crypto;
using imprint::testing::OpensslWorkspace;

namespace {
const QString kServerId = QStringLiteral("srv_0123456789abcdef0123456789abcdef");

PrivateKey generate(const QString &kind)
{
    auto key = kind == QLatin1String("ed25519") ? PrivateKey::generateEd25519() : PrivateKey::generateP256();
    return key.ok() ? std::move(key).value() : PrivateKey();
}
} // namespace

class TestCryptoCsr : public QObject {
    Q_OBJECT

private slots:
    void ourCsrVerifiedByOpenssl_data();
    void ourCsrVerifiedByOpenssl();
    void opensslCsrParsed_data();
    void opensslCsrParsed();
    void tamperedCsrRefused_data();
    void tamperedCsrRefused();
    void policyOnCsrKeys_data();
    void policyOnCsrKeys();
    void createCsrRefuses();
    void createCsrUtf8CommonName();
    void refusesMalformedCsr_data();
    void refusesMalformedCsr();
    void refusesTruncatedAndFlippedCsr();
    void nullCsr();
};

void TestCryptoCsr::ourCsrVerifiedByOpenssl_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("signatureAlgorithm");
    QTest::newRow("P-256") << "p256" << QByteArray("ecdsa-with-SHA256");
    QTest::newRow("Ed25519") << "ed25519" << QByteArray("ED25519");
}

void TestCryptoCsr::ourCsrVerifiedByOpenssl()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, signatureAlgorithm);
    OpensslWorkspace ws;
    const PrivateKey key = generate(kind);
    QVERIFY(!key.isNull());
    const auto pem = createCsr(key, kServerId);
    QVERIFY2(pem.ok(), qPrintable(pem.ok() ? QString() : pem.errorMessage()));
    QVERIFY(pem->startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
    QVERIFY(pem->endsWith("-----END CERTIFICATE REQUEST-----\n"));
    QVERIFY(ws.write("csr.pem", pem.value()));

    const auto verify = ws.run({"req", "-in", "csr.pem", "-verify", "-noout"});
    IMPRINT_VERIFY_PROCESS(verify);
    QVERIFY(verify.err.contains("verify OK"));
    const auto subject = ws.run({"req", "-in", "csr.pem", "-noout", "-subject", "-nameopt", "RFC2253"});
    IMPRINT_VERIFY_PROCESS(subject);
    QCOMPARE(subject.out.trimmed(), QByteArray("subject=CN=") + kServerId.toUtf8()); // CN only
    const auto pubkey = ws.run({"req", "-in", "csr.pem", "-noout", "-pubkey"});
    IMPRINT_VERIFY_PROCESS(pubkey);
    QCOMPARE(pubkey.out, key.publicKey().toPem());
    const auto text = ws.run({"req", "-in", "csr.pem", "-noout", "-text"});
    IMPRINT_VERIFY_PROCESS(text);
    QVERIFY2(text.out.contains("Signature Algorithm: " + signatureAlgorithm), text.out.constData());
    QVERIFY(text.out.contains("Version: 1 (0x0)"));
    // No attributes (and so no requested extensions): `-text` shows "(none)" under Attributes.
    const qsizetype attributes = text.out.indexOf("Attributes:");
    QVERIFY(attributes > 0);
    QCOMPARE(text.out.mid(attributes).split('\n').value(1).trimmed(), QByteArray("(none)"));

    const auto parsed = Csr::parse(pem.value());
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed->subjectCommonName(), kServerId);
    QVERIFY(parsed->publicKey().equals(key.publicKey()));
    QCOMPARE(parsed->toPem(), pem.value());
    QCOMPARE(parsed->toDer(), testing::pemDecode(pem.value()));
    QVERIFY(parsed->get() != nullptr);
    QVERIFY(checkIssuanceKey(parsed->publicKey()).ok());
}

void TestCryptoCsr::opensslCsrParsed_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("commonName");
    QTest::newRow("P-256 CN only") << "p256-sec1" << "/CN=x" << "x";
    QTest::newRow("P-256 O and CN") << "p256-pkcs8" << "/O=Some Org/CN=device-1" << "device-1";
    QTest::newRow("Ed25519") << "ed25519" << "/CN=ed-device" << "ed-device";
    QTest::newRow("no CN") << "p256-sec1" << "/O=Only Org" << "";
}

void TestCryptoCsr::opensslCsrParsed()
{
    QFETCH(QString, kind);
    QFETCH(QString, subject);
    QFETCH(QString, commonName);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const auto csr = ws.run({"req", "-new", "-key", "k.pem", "-subj", subject});
    IMPRINT_VERIFY_PROCESS(csr);
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);

    const auto parsed = Csr::parse(csr.out);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed->subjectCommonName(), commonName);
    QCOMPARE(parsed->publicKey().toPem(), pub.out);
    QCOMPARE(parsed->toPem(), csr.out);
}

void TestCryptoCsr::tamperedCsrRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("where");
    for (const char *kind : {"p256-sec1", "ed25519"}) {
        for (const char *where : {"subject", "signature"})
            QTest::addRow("%s %s", kind, where) << QString::fromLatin1(kind) << QString::fromLatin1(where);
    }
}

void TestCryptoCsr::tamperedCsrRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, where);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const auto der = ws.run({"req", "-new", "-key", "k.pem", "-subj", "/CN=tamper-me", "-outform", "DER"});
    IMPRINT_VERIFY_PROCESS(der);
    QVERIFY(Csr::parse(testing::pemEncode(der.out, "CERTIFICATE REQUEST")).ok());

    QByteArray tampered = der.out;
    if (where == QLatin1String("subject")) {
        const qsizetype at = tampered.indexOf("tamper-me");
        QVERIFY(at > 0);
        tampered[at] = 'T'; // inside CertificationRequestInfo, the signed part
    } else {
        tampered[tampered.size() - 1] = char(tampered.at(tampered.size() - 1) ^ 0x01);
    }
    const QByteArray pem = testing::pemEncode(tampered, "CERTIFICATE REQUEST");
    QVERIFY(ws.write("tampered.pem", pem));

    // Sanity of the tamper: openssl still parses it but the signature fails.
    IMPRINT_VERIFY_PROCESS(ws.run({"req", "-in", "tampered.pem", "-noout", "-subject"}));
    // (OpenSSL 3.0's `req -verify` reports the failure but may still exit 0.)
    const auto verify = ws.run({"req", "-in", "tampered.pem", "-verify", "-noout"});
    QVERIFY(verify.finished);
    QVERIFY2(verify.err.contains("verify failure") && !verify.err.contains("verify OK"), verify.err.constData());

    const auto parsed = Csr::parse(pem);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.errorMessage(), QStringLiteral("CSR signature is invalid"));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoCsr::policyOnCsrKeys_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("named");
    QTest::newRow("P-256") << "p256-sec1" << true << "";
    QTest::newRow("Ed25519") << "ed25519" << true << "";
    QTest::newRow("RSA 2048") << "rsa2048" << false << "RSA 2048";
    QTest::newRow("RSA 512") << "rsa512" << false << "RSA 512";
    QTest::newRow("P-384") << "p384" << false << "ECDSA P-384";
    QTest::newRow("secp256k1") << "secp256k1" << false << "ECDSA secp256k1";
    QTest::newRow("Ed448") << "ed448" << false << "Ed448";
    QTest::newRow("P-256 explicit") << "p256-explicit" << false << "ECDSA P-256 (explicit curve parameters)";
}

void TestCryptoCsr::policyOnCsrKeys()
{
    QFETCH(QString, kind);
    QFETCH(bool, accepted);
    QFETCH(QString, named);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const auto csr = ws.run({"req", "-new", "-key", "k.pem", "-subj", "/CN=policy"});
    IMPRINT_VERIFY_PROCESS(csr);
    // The CSR itself is well-formed: parsing (and its signature) succeed for every type.
    const auto parsed = Csr::parse(csr.out);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed->subjectCommonName(), QStringLiteral("policy"));
    const Status policy = checkIssuanceKey(parsed->publicKey());
    QCOMPARE(policy.ok(), accepted);
    if (!accepted) {
        QCOMPARE(policy.errorMessage(),
                 QStringLiteral("key type %1 is not accepted; use ECDSA P-256 or Ed25519").arg(named));
    }
}

void TestCryptoCsr::createCsrRefuses()
{
    const PrivateKey key = generate("p256");
    QVERIFY(!key.isNull());
    const auto nullKey = createCsr(PrivateKey(), kServerId);
    QVERIFY(!nullKey.ok());
    QVERIFY(nullKey.errorMessage().contains(QStringLiteral("without a private key")));
    const auto empty = createCsr(key, QString());
    QVERIFY(!empty.ok());
    QVERIFY(empty.errorMessage().contains(QStringLiteral("empty")));
    const auto tooLong = createCsr(key, QString(65, QLatin1Char('a')));
    QVERIFY(!tooLong.ok());
    QVERIFY(tooLong.errorMessage().contains(QStringLiteral("longer than 64")));
    const auto longest = createCsr(key, QString(64, QLatin1Char('a')));
    QVERIFY(longest.ok());
    QCOMPARE(Csr::parse(longest.value())->subjectCommonName(), QString(64, QLatin1Char('a')));
}

void TestCryptoCsr::createCsrUtf8CommonName()
{
    OpensslWorkspace ws;
    const PrivateKey key = generate("p256");
    const QString name = QStringLiteral("Gerät-ü-\u6f22");
    const auto pem = createCsr(key, name);
    QVERIFY(pem.ok());
    QCOMPARE(Csr::parse(pem.value())->subjectCommonName(), name);
    QVERIFY(ws.write("csr.pem", pem.value()));
    const auto subject =
        ws.run({"req", "-in", "csr.pem", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb,utf8"});
    IMPRINT_VERIFY_PROCESS(subject);
    QCOMPARE(QString::fromUtf8(subject.out.trimmed()), QStringLiteral("subject=CN=") + name);
}

void TestCryptoCsr::refusesMalformedCsr_data()
{
    OpensslWorkspace ws;
    QVERIFY(ws.generateKey("p256-sec1", "k.pem").exitCode == 0);
    const auto der = ws.run({"req", "-new", "-key", "k.pem", "-subj", "/CN=x", "-outform", "DER"});
    const auto cert = ws.run({"req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=x", "-days", "1"});
    const QByteArray good = testing::pemEncode(der.out, "CERTIFICATE REQUEST");
    QByteArray corrupt = good;
    corrupt[good.indexOf('\n') + 5] = '#';

    QTest::addColumn<QByteArray>("pem");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << "CSR is empty";
    QTest::newRow("garbage") << QByteArray("this is not a CSR") << "no \"CERTIFICATE REQUEST\"";
    QTest::newRow("header only") << QByteArray("-----BEGIN CERTIFICATE REQUEST-----\n") << "malformed";
    QTest::newRow("truncated") << good.left(good.size() / 2) << "malformed";
    QTest::newRow("corrupt base64") << corrupt << "malformed";
    QTest::newRow("not DER inside") << testing::pemEncode("hello", "CERTIFICATE REQUEST") << "cannot be parsed";
    QTest::newRow("truncated DER inside") << testing::pemEncode(der.out.left(der.out.size() - 3), "CERTIFICATE REQUEST")
                                          << "cannot be parsed";
    QTest::newRow("trailing data") << testing::pemEncode(der.out + QByteArray(3, '\0'), "CERTIFICATE REQUEST")
                                   << "trailing data";
    QTest::newRow("certificate") << cert.out << "no \"CERTIFICATE REQUEST\"";
    QTest::newRow("private key") << ws.read("k.pem") << "no \"CERTIFICATE REQUEST\"";
    QTest::newRow("huge") << (good + QByteArray(70 * 1024, ' ')) << "too large";
}

void TestCryptoCsr::refusesMalformedCsr()
{
    QFETCH(QByteArray, pem);
    QFETCH(QString, message);
    const auto parsed = Csr::parse(pem);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.errorMessage().contains(message), qPrintable(parsed.errorMessage()));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoCsr::refusesTruncatedAndFlippedCsr()
{
    const PrivateKey key = generate("p256");
    const auto pem = createCsr(key, kServerId);
    QVERIFY(pem.ok());
    const QByteArray der = testing::pemDecode(pem.value());
    for (qsizetype length = 0; length < der.size(); ++length)
        QVERIFY(!Csr::parse(testing::pemEncode(der.left(length), "CERTIFICATE REQUEST")).ok());
    int accepted = 0;
    for (qsizetype i = 0; i < der.size(); ++i) {
        QByteArray flipped = der;
        flipped[i] = char(flipped.at(i) ^ 0x04);
        const auto parsed = Csr::parse(testing::pemEncode(flipped, "CERTIFICATE REQUEST"));
        if (parsed.ok()) {
            // Only flips outside the signed content and signature value may survive
            // (e.g. in an unused encoding detail); the request must still be sound.
            ++accepted;
            QVERIFY(!parsed->publicKey().isNull());
        }
    }
    QCOMPARE(accepted, 0);
}

void TestCryptoCsr::nullCsr()
{
    Csr csr;
    QVERIFY(csr.isNull());
    QVERIFY(csr.subjectCommonName().isEmpty());
    QVERIFY(csr.toPem().isEmpty());
    QVERIFY(csr.toDer().isEmpty());
    QVERIFY(csr.publicKey().isNull());
    QVERIFY(!checkIssuanceKey(csr.publicKey()).ok());

    const PrivateKey key = generate("p256");
    auto parsed = Csr::parse(createCsr(key, kServerId).value());
    QVERIFY(parsed.ok());
    Csr owner = std::move(parsed).value();
    Csr moved = std::move(owner);
    QVERIFY(owner.isNull()); // NOLINT(bugprone-use-after-move): documented moved-from state
    QVERIFY(owner.subjectCommonName().isEmpty());
    QCOMPARE(moved.subjectCommonName(), kServerId);
}

QTEST_GUILESS_MAIN(TestCryptoCsr)
#include "tst_crypto_csr.moc"
