// Certificates of core/crypto: every fact is checked against what `openssl x509`
// reports for certificates the openssl command line made.

#include "crypto/certificate.h"
#include "crypto/digest.h"
#include "crypto/privatekey.h"
#include "support/cryptofixtures.h"

#include <QLocale>
#include <QTest>

#include <openssl/err.h>

#include <memory>

using namespace imprint;
using namespace imprint::crypto;
using imprint::testing::OpensslWorkspace;
using imprint::testing::ProcessResult;

namespace {

QString stripLeadingZeros(QString hex)
{
    hex = hex.toLower();
    while (hex.size() > 1 && hex.startsWith(QLatin1Char('0')))
        hex.remove(0, 1);
    return hex;
}

// "Dec  3 17:01:23 2026 GMT" as openssl prints it.
QDateTime parseOpensslDate(const QString &text)
{
    QString simplified = text.simplified();
    if (!simplified.endsWith(QLatin1String(" GMT")))
        return {};
    simplified.chop(4);
    QDateTime time = QLocale::c().toDateTime(simplified, QStringLiteral("MMM d HH:mm:ss yyyy"));
    time.setTimeSpec(Qt::UTC);
    return time;
}

} // namespace

class TestCryptoCertificate : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void factsMatchOpenssl_data();
    void factsMatchOpenssl();
    void leafExtensions();
    void caExtensions();
    void leafWithoutKeyUsage();
    void signatures();
    void matchesPrivateKey();
    void ed25519Leaf();
    void encodings();
    void chainFromPem();
    void refusesMalformed_data();
    void refusesMalformed();
    void refusesTruncatedAndFlippedDer();
    void nullAndCopies();

private:
    // Makes `<name>.crt` for the key `<name>.key` (generated if missing), issued by
    // `<ca>.crt`/`<ca>.key`, or self-signed when `ca` is empty.
    ProcessResult makeCertificate(const QString &name, const QString &ca, const QString &subject,
                                  const QStringList &extensions, const QString &serial = {},
                                  const QString &days = QStringLiteral("10"), const QString &keyKind = QStringLiteral("p256-sec1"));
    Certificate load(const QString &name);

    std::unique_ptr<OpensslWorkspace> m_ws;
    const QStringList m_leafExtensions{
        "keyUsage=critical,digitalSignature",
        "extendedKeyUsage=clientAuth",
        "subjectAltName=URI:imprint://server/srv_x,DNS:device.example,IP:192.0.2.7,IP:2001:db8::1",
        "basicConstraints=critical,CA:FALSE",
    };
    const QStringList m_caExtensions{
        "basicConstraints=critical,CA:TRUE,pathlen:0",
        "keyUsage=critical,keyCertSign,cRLSign",
    };
};

ProcessResult TestCryptoCertificate::makeCertificate(const QString &name, const QString &ca, const QString &subject,
                                                     const QStringList &extensions, const QString &serial,
                                                     const QString &days, const QString &keyKind)
{
    const QString keyFile = name + QStringLiteral(".key");
    if (!QFile::exists(m_ws->path(keyFile))) {
        const ProcessResult key = m_ws->generateKey(keyKind, keyFile);
        if (key.exitCode != 0)
            return key;
    }
    QStringList arguments{"req", "-new", "-x509", "-key", keyFile, "-subj", subject, "-days", days,
                          "-out", name + QStringLiteral(".crt")};
    if (!ca.isEmpty())
        arguments << "-CA" << ca + QStringLiteral(".crt") << "-CAkey" << ca + QStringLiteral(".key");
    if (!serial.isEmpty())
        arguments << "-set_serial" << serial;
    for (const QString &extension : extensions)
        arguments << "-addext" << extension;
    return m_ws->run(arguments);
}

Certificate TestCryptoCertificate::load(const QString &name)
{
    const auto certificate = Certificate::fromPem(m_ws->read(name + QStringLiteral(".crt")));
    if (!certificate.ok())
        qWarning("%s: %s", qPrintable(name), qPrintable(certificate.errorMessage()));
    return certificate.ok() ? certificate.value() : Certificate();
}

void TestCryptoCertificate::initTestCase()
{
    m_ws = std::make_unique<OpensslWorkspace>();
    QVERIFY(m_ws->isValid());
    IMPRINT_VERIFY_PROCESS(makeCertificate("ca", {}, "/O=Test Org/CN=Test CA", m_caExtensions));
    // Same name, different key: only the signature tells them apart.
    IMPRINT_VERIFY_PROCESS(makeCertificate("impostor", {}, "/O=Test Org/CN=Test CA", m_caExtensions));
    IMPRINT_VERIFY_PROCESS(makeCertificate("otherca", {}, "/O=Other Org/CN=Other CA", m_caExtensions));
    IMPRINT_VERIFY_PROCESS(
        makeCertificate("leaf", "ca", "/CN=srv_x/O=Test Org", m_leafExtensions, QStringLiteral("0x00ab12cd34")));
}

void TestCryptoCertificate::factsMatchOpenssl_data()
{
    QTest::addColumn<QString>("serial");
    QTest::addColumn<QString>("days");
    QTest::addColumn<QString>("expectedSerial");
    QTest::newRow("leading zero byte") << "0x00ab12cd34" << "10" << "ab12cd34";
    QTest::newRow("leading zero nibble") << "0x0abc" << "10" << "abc";
    QTest::newRow("one") << "1" << "10" << "1";
    QTest::newRow("zero") << "0" << "10" << "0";
    QTest::newRow("high bit set") << "0x80" << "10" << "80";
    QTest::newRow("inner zeros") << "0x00ff00ff00ff00ff00ff" << "10" << "ff00ff00ff00ff00ff";
    QTest::newRow("20 bytes") << "0x7fffffffffffffffffffffffffffffffffffffff" << "10"
                              << "7fffffffffffffffffffffffffffffffffffffff";
    QTest::newRow("GeneralizedTime after 2049") << "0x1234" << "36500" << "1234";
}

void TestCryptoCertificate::factsMatchOpenssl()
{
    QFETCH(QString, serial);
    QFETCH(QString, days);
    QFETCH(QString, expectedSerial);
    const QString name = QStringLiteral("facts-") + QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'));
    IMPRINT_VERIFY_PROCESS(makeCertificate(name, "ca", "/CN=srv_facts/O=Test Org", m_leafExtensions, serial, days));
    const Certificate certificate = load(name);
    QVERIFY(!certificate.isNull());

    const auto oracle = m_ws->run({"x509", "-in", name + ".crt", "-noout", "-serial", "-subject", "-issuer",
                                   "-dates", "-fingerprint", "-sha256", "-nameopt", "RFC2253"});
    IMPRINT_VERIFY_PROCESS(oracle);
    const auto fields = testing::parseOpensslFields(oracle.out);

    QCOMPARE(certificate.serialHex(), expectedSerial);
    QCOMPARE(certificate.serialHex(), stripLeadingZeros(fields.value("serial")));

    const auto subject = testing::parseRfc2253(fields.value("subject"));
    const auto issuer = testing::parseRfc2253(fields.value("issuer"));
    QCOMPARE(certificate.subjectCommonName(), subject.value("CN"));
    QCOMPARE(certificate.subjectCommonName(), QStringLiteral("srv_facts"));
    QCOMPARE(certificate.subjectOrganization(), subject.value("O"));
    QCOMPARE(certificate.issuerCommonName(), issuer.value("CN"));
    QCOMPARE(certificate.issuerCommonName(), QStringLiteral("Test CA"));
    QCOMPARE(certificate.issuerOrganization(), issuer.value("O"));
    QCOMPARE(certificate.subjectText(), fields.value("subject"));
    QCOMPARE(certificate.issuerText(), fields.value("issuer"));

    const QDateTime notBefore = parseOpensslDate(fields.value("notBefore"));
    const QDateTime notAfter = parseOpensslDate(fields.value("notAfter"));
    QVERIFY(notBefore.isValid());
    QCOMPARE(certificate.notBefore(), notBefore);
    QCOMPARE(certificate.notAfter(), notAfter);
    QCOMPARE(certificate.notBefore().timeSpec(), Qt::UTC);
    QCOMPARE(certificate.notBefore().daysTo(certificate.notAfter()), days.toLongLong());

    const QString fingerprint = fields.value("sha256 Fingerprint").remove(QLatin1Char(':')).toLower();
    QCOMPARE(fingerprint.size(), 64);
    QCOMPARE(certificate.pin(), QStringLiteral("sha256:") + fingerprint);
    QCOMPARE(QString::fromLatin1(certificate.sha256OfDer().toHex()), fingerprint);
}

void TestCryptoCertificate::leafExtensions()
{
    const Certificate leaf = load("leaf");
    QVERIFY(!leaf.isNull());
    QVERIFY(leaf.hasKeyUsageExtension());
    QCOMPARE(leaf.keyUsage(), KeyUsage(KeyUsageFlag::DigitalSignature));
    QVERIFY(leaf.keyUsage().testFlag(KeyUsageFlag::DigitalSignature));
    QVERIFY(!leaf.keyUsage().testFlag(KeyUsageFlag::KeyCertSign));
    QVERIFY(leaf.hasExtendedKeyUsageClientAuth());
    QVERIFY(!leaf.hasExtendedKeyUsageServerAuth());
    QVERIFY(!leaf.isCa());
    QCOMPARE(leaf.pathLength(), -1);
    QCOMPARE(leaf.sanUris(), QStringList{"imprint://server/srv_x"});
    QCOMPARE(leaf.sanDnsNames(), QStringList{"device.example"});
    QCOMPARE(leaf.sanIpAddresses(), (QStringList{"192.0.2.7", "2001:db8::1"}));
    QCOMPARE(leaf.serialHex(), QStringLiteral("ab12cd34"));

    const auto oracle = m_ws->run(
        {"x509", "-in", "leaf.crt", "-noout", "-ext", "keyUsage,extendedKeyUsage,subjectAltName,basicConstraints"});
    IMPRINT_VERIFY_PROCESS(oracle);
    QVERIFY(oracle.out.contains("Digital Signature"));
    QVERIFY(!oracle.out.contains("Certificate Sign"));
    QVERIFY(oracle.out.contains("TLS Web Client Authentication"));
    QVERIFY(oracle.out.contains("URI:imprint://server/srv_x"));
    QVERIFY(oracle.out.contains("CA:FALSE"));
}

void TestCryptoCertificate::caExtensions()
{
    const Certificate ca = load("ca");
    QVERIFY(!ca.isNull());
    QVERIFY(ca.isCa());
    QCOMPARE(ca.pathLength(), 0);
    QCOMPARE(ca.keyUsage(), KeyUsageFlag::KeyCertSign | KeyUsageFlag::CrlSign);
    QVERIFY(!ca.hasExtendedKeyUsageClientAuth());
    QVERIFY(!ca.hasExtendedKeyUsageServerAuth());
    QVERIFY(ca.sanUris().isEmpty());
    QVERIFY(ca.sanDnsNames().isEmpty());
    QVERIFY(ca.sanIpAddresses().isEmpty());
    QCOMPARE(ca.subjectCommonName(), QStringLiteral("Test CA"));
    QCOMPARE(ca.subjectOrganization(), QStringLiteral("Test Org"));
    QCOMPARE(ca.issuerCommonName(), QStringLiteral("Test CA"));

    const auto oracle = m_ws->run({"x509", "-in", "ca.crt", "-noout", "-ext", "keyUsage,basicConstraints"});
    IMPRINT_VERIFY_PROCESS(oracle);
    QVERIFY(oracle.out.contains("Certificate Sign, CRL Sign"));
    QVERIFY(oracle.out.contains("CA:TRUE, pathlen:0"));
}

void TestCryptoCertificate::leafWithoutKeyUsage()
{
    IMPRINT_VERIFY_PROCESS(makeCertificate("server", "ca", "/CN=server.example",
                                           {"extendedKeyUsage=serverAuth", "basicConstraints=critical,CA:FALSE"}));
    const Certificate server = load("server");
    QVERIFY(!server.isNull());
    QVERIFY(!server.hasKeyUsageExtension());
    QCOMPARE(server.keyUsage(), KeyUsage());
    QVERIFY(server.hasExtendedKeyUsageServerAuth());
    QVERIFY(!server.hasExtendedKeyUsageClientAuth());
    QVERIFY(server.subjectOrganization().isEmpty());
    QVERIFY(server.sanUris().isEmpty());
}

void TestCryptoCertificate::signatures()
{
    const Certificate ca = load("ca");
    const Certificate impostor = load("impostor");
    const Certificate otherCa = load("otherca");
    const Certificate leaf = load("leaf");
    QVERIFY(!ca.isNull() && !impostor.isNull() && !otherCa.isNull() && !leaf.isNull());

    // Sanity of the fixture with the oracle.
    IMPRINT_VERIFY_PROCESS(m_ws->run({"verify", "-CAfile", "ca.crt", "leaf.crt"}));
    QVERIFY(m_ws->run({"verify", "-CAfile", "impostor.crt", "leaf.crt"}).exitCode != 0);

    QVERIFY(leaf.isSignedBy(ca));
    QVERIFY(!leaf.isSignedBy(impostor)); // right name, wrong key
    QVERIFY(!leaf.isSignedBy(otherCa));
    QVERIFY(!leaf.isSignedBy(leaf));
    QVERIFY(ca.isSignedBy(ca)); // self-signed
    QVERIFY(!ca.isSignedBy(impostor));
    QVERIFY(!ca.isSignedBy(leaf));
    QVERIFY(!leaf.isSignedBy(Certificate()));
    QVERIFY(!Certificate().isSignedBy(ca));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoCertificate::matchesPrivateKey()
{
    const Certificate leaf = load("leaf");
    const auto leafKey = PrivateKey::fromPem(m_ws->read("leaf.key"));
    const auto caKey = PrivateKey::fromPem(m_ws->read("ca.key"));
    QVERIFY(leafKey.ok() && caKey.ok());
    QVERIFY(leaf.matchesPrivateKey(leafKey.value()));
    QVERIFY(!leaf.matchesPrivateKey(caKey.value()));
    QVERIFY(!leaf.matchesPrivateKey(PrivateKey::generateEd25519().value()));
    QVERIFY(!leaf.matchesPrivateKey(PrivateKey()));
    QVERIFY(load("ca").matchesPrivateKey(caKey.value()));
    QCOMPARE(ERR_peek_error(), 0ul);

    const auto pub = m_ws->run({"x509", "-in", "leaf.crt", "-noout", "-pubkey"});
    IMPRINT_VERIFY_PROCESS(pub);
    QCOMPARE(leaf.publicKey().toPem(), pub.out);
    QCOMPARE(leaf.publicKey().type(), KeyType::EcP256);
}

void TestCryptoCertificate::ed25519Leaf()
{
    IMPRINT_VERIFY_PROCESS(makeCertificate("edleaf", "ca", "/CN=srv_ed/O=Test Org", m_leafExtensions, "0x42",
                                           "10", "ed25519"));
    const Certificate leaf = load("edleaf");
    QVERIFY(!leaf.isNull());
    QCOMPARE(leaf.publicKey().type(), KeyType::Ed25519);
    QVERIFY(leaf.isSignedBy(load("ca")));
    const auto key = PrivateKey::fromPem(m_ws->read("edleaf.key"));
    QVERIFY(key.ok());
    QVERIFY(leaf.matchesPrivateKey(key.value()));
    QCOMPARE(leaf.serialHex(), QStringLiteral("42"));
}

void TestCryptoCertificate::encodings()
{
    const QByteArray pem = m_ws->read("leaf.crt");
    const Certificate leaf = load("leaf");
    QCOMPARE(leaf.toPem(), pem);
    const auto der = m_ws->run({"x509", "-in", "leaf.crt", "-outform", "DER"});
    IMPRINT_VERIFY_PROCESS(der);
    QCOMPARE(leaf.toDer(), der.out);
    QCOMPARE(leaf.sha256OfDer(), sha256(der.out));

    const auto fromDer = Certificate::fromDer(der.out);
    QVERIFY(fromDer.ok());
    QVERIFY(fromDer->equals(leaf));
    QVERIFY(!fromDer->equals(load("ca")));
    QVERIFY(!fromDer->equals(Certificate()));
    const auto trailing = Certificate::fromDer(der.out + '\0');
    QVERIFY(!trailing.ok());
    QVERIFY(trailing.errorMessage().contains(QStringLiteral("trailing data")));

    const auto handle = Certificate::fromHandle(leaf.get());
    QVERIFY(handle.ok());
    QVERIFY(handle->equals(leaf));
    QVERIFY(!Certificate::fromHandle(nullptr).ok());
}

void TestCryptoCertificate::chainFromPem()
{
    const QByteArray leafPem = m_ws->read("leaf.crt");
    const QByteArray caPem = m_ws->read("ca.crt");
    const QByteArray keyPem = m_ws->read("leaf.key");

    const auto chain = Certificate::chainFromPem(leafPem + caPem);
    QVERIFY(chain.ok());
    QCOMPARE(chain->size(), 2);
    QVERIFY(chain->at(0).equals(load("leaf")));
    QVERIFY(chain->at(1).equals(load("ca")));
    QVERIFY(chain->at(0).isSignedBy(chain->at(1)));

    // Text and other blocks between certificates are skipped.
    const auto mixed = Certificate::chainFromPem("Subject: leaf\n" + leafPem + "\n" + keyPem + "# ca\n" + caPem);
    QVERIFY(mixed.ok());
    QCOMPARE(mixed->size(), 2);

    // The single-certificate reader takes the first of a bundle.
    const auto first = Certificate::fromPem(caPem + leafPem);
    QVERIFY(first.ok());
    QVERIFY(first->equals(load("ca")));

    const auto none = Certificate::chainFromPem(keyPem);
    QVERIFY(!none.ok());
    QVERIFY(none.errorMessage().contains(QStringLiteral("no \"CERTIFICATE\"")));
    QVERIFY(!Certificate::chainFromPem({}).ok());
    const auto truncated = Certificate::chainFromPem(leafPem + caPem.left(caPem.size() / 2));
    QVERIFY(!truncated.ok());
    const auto badSecond =
        Certificate::chainFromPem(leafPem + testing::pemEncode("not a certificate", "CERTIFICATE"));
    QVERIFY(!badSecond.ok());
    QVERIFY2(badSecond.errorMessage().contains(QStringLiteral("certificate 2 of the bundle")),
             qPrintable(badSecond.errorMessage()));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoCertificate::refusesMalformed_data()
{
    const QByteArray pem = m_ws->read("leaf.crt");
    const QByteArray der = testing::pemDecode(pem);
    QByteArray corrupt = pem;
    corrupt[pem.indexOf('\n') + 7] = '%';
    const auto csr = m_ws->run({"req", "-new", "-key", "leaf.key", "-subj", "/CN=x"});

    QTest::addColumn<QByteArray>("pem");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << "certificate is empty";
    QTest::newRow("text") << QByteArray("not a certificate") << "no \"CERTIFICATE\"";
    QTest::newRow("header only") << QByteArray("-----BEGIN CERTIFICATE-----\n") << "malformed";
    QTest::newRow("truncated") << pem.left(pem.size() - 40) << "malformed";
    QTest::newRow("corrupt base64") << corrupt << "malformed";
    QTest::newRow("not DER inside") << testing::pemEncode("junk", "CERTIFICATE") << "cannot be parsed";
    QTest::newRow("truncated DER inside") << testing::pemEncode(der.left(der.size() - 1), "CERTIFICATE")
                                          << "cannot be parsed";
    QTest::newRow("trailing DER inside") << testing::pemEncode(der + "xx", "CERTIFICATE") << "trailing data";
    QTest::newRow("CSR") << csr.out << "no \"CERTIFICATE\"";
    QTest::newRow("private key") << m_ws->read("leaf.key") << "no \"CERTIFICATE\"";
    QTest::newRow("huge") << (pem + QByteArray(65 * 1024, '\n')) << "too large";
}

void TestCryptoCertificate::refusesMalformed()
{
    QFETCH(QByteArray, pem);
    QFETCH(QString, message);
    const auto certificate = Certificate::fromPem(pem);
    QVERIFY(!certificate.ok());
    QVERIFY2(certificate.errorMessage().contains(message), qPrintable(certificate.errorMessage()));
    QCOMPARE(ERR_peek_error(), 0ul);
    QVERIFY(!Certificate::fromDer(pem).ok());
}

void TestCryptoCertificate::refusesTruncatedAndFlippedDer()
{
    const QByteArray der = testing::pemDecode(m_ws->read("leaf.crt"));
    QVERIFY(!der.isEmpty());
    QVERIFY(!Certificate::fromDer(QByteArray(1024 * 1024, '\x30')).ok());
    for (qsizetype length = 0; length < der.size(); ++length)
        QVERIFY(!Certificate::fromDer(der.left(length)).ok());
    const Certificate ca = load("ca");
    for (qsizetype i = 0; i < der.size(); ++i) {
        for (const char mask : {char(0x01), char(0x80)}) {
            QByteArray flipped = der;
            flipped[i] = char(flipped.at(i) ^ mask);
            const auto certificate = Certificate::fromDer(flipped);
            if (!certificate.ok())
                continue;
            // Accepted flips (in the signed content) must still give a safe object whose
            // signature no longer verifies.
            (void)certificate->subjectCommonName();
            (void)certificate->serialHex();
            (void)certificate->notAfter();
            (void)certificate->sanUris();
            (void)certificate->sanIpAddresses();
            (void)certificate->keyUsage();
            (void)certificate->pin();
            QVERIFY2(!certificate->isSignedBy(ca), qPrintable(QStringLiteral("flip at %1 still verifies").arg(i)));
        }
    }
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCryptoCertificate::nullAndCopies()
{
    const Certificate null;
    QVERIFY(null.isNull());
    QVERIFY(null.subjectCommonName().isEmpty());
    QVERIFY(null.issuerOrganization().isEmpty());
    QVERIFY(null.subjectText().isEmpty());
    QVERIFY(null.serialHex().isEmpty());
    QVERIFY(!null.notBefore().isValid());
    QVERIFY(!null.notAfter().isValid());
    QCOMPARE(null.keyUsage(), KeyUsage());
    QVERIFY(!null.hasKeyUsageExtension());
    QVERIFY(!null.hasExtendedKeyUsageClientAuth());
    QVERIFY(!null.isCa());
    QCOMPARE(null.pathLength(), -1);
    QVERIFY(null.sanUris().isEmpty());
    QVERIFY(null.sha256OfDer().isEmpty());
    QVERIFY(null.pin().isEmpty());
    QVERIFY(null.publicKey().isNull());
    QVERIFY(null.toPem().isEmpty());
    QVERIFY(null.toDer().isEmpty());
    QVERIFY(!null.equals(null));
    QVERIFY(!null.matchesPrivateKey(PrivateKey()));

    Certificate copy;
    {
        const Certificate original = load("leaf");
        copy = original;
        const Certificate second(original);
        QVERIFY(second.equals(original));
    }
    QCOMPARE(copy.subjectCommonName(), QStringLiteral("srv_x"));
    Certificate moved = std::move(copy);
    QVERIFY(copy.isNull()); // NOLINT(bugprone-use-after-move): documented moved-from state
    QVERIFY(copy.publicKey().isNull());
    QVERIFY(copy.serialHex().isEmpty());
    QCOMPARE(moved.subjectCommonName(), QStringLiteral("srv_x"));
}

QTEST_GUILESS_MAIN(TestCryptoCertificate)
#include "tst_crypto_certificate.moc"
