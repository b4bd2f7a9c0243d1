// Primitives and keys of core/crypto: digests, randomness, constant-time comparison,
// private/public keys and the issuance key policy, checked against the openssl CLI.

#include "crypto/constanttime.h"
#include "crypto/digest.h"
#include "crypto/keypolicy.h"
#include "crypto/keytype.h"
#include "crypto/privatekey.h"
#include "crypto/publickey.h"
#include "crypto/random.h"
#include "support/cryptofixtures.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <openssl/err.h>

using namespace imprint;
using namespace imprint::crypto;
using imprint::testing::OpensslWorkspace;

class TestCrypto : public QObject {
    Q_OBJECT

private slots:
    void sha256KnownVectors_data();
    void sha256KnownVectors();
    void sha256MatchesOpenssl();
    void randomBytesLengthAndVariety();
    void randomBytesRejectsBadCounts();
    void randomUuidV4Format();
    void constantTimeEquals();
    void secretMatchesAny();

    void generatedP256WrittenAsSec1ReadByOpenssl();
    void generatedEd25519WrittenAsPkcs8ReadByOpenssl();
    void readsKeysWrittenByOpenssl_data();
    void readsKeysWrittenByOpenssl();
    void refusesEncryptedKeys_data();
    void refusesEncryptedKeys();
    void refusesMalformedKeyPem_data();
    void refusesMalformedKeyPem();
    void refusesTruncatedKeyPemAtEveryLength();
    void refusesKeyWithForeignPublicPart();
    void nullAndMovedFromKeys();
    void errorQueueLeftClean();

    void publicKeyPemRoundTrip();
    void publicKeyRefusesGarbage_data();
    void publicKeyRefusesGarbage();

    void keyPolicy_data();
    void keyPolicy();
    void keyTypeNames();

    void opensslOutlivesExitHandlers();
};

// --- digests, randomness, comparison ---------------------------------------------------

void TestCrypto::sha256KnownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("hex");
    // FIPS 180-2 vectors.
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("million a") << QByteArray(1000000, 'a')
                               << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
}

void TestCrypto::sha256KnownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, hex);
    const QByteArray digest = sha256(input);
    QCOMPARE(digest.size(), 32);
    QCOMPARE(QString::fromLatin1(digest.toHex()), hex);
    QCOMPARE(sha256Hex(input), hex);
}

void TestCrypto::sha256MatchesOpenssl()
{
    const auto data = randomBytes(4097);
    QVERIFY(data.ok());
    const auto result = testing::runOpenssl({"dgst", "-sha256", "-binary"}, data.value());
    IMPRINT_VERIFY_PROCESS(result);
    QCOMPARE(sha256(data.value()), result.out);
}

void TestCrypto::randomBytesLengthAndVariety()
{
    for (const qsizetype count : {qsizetype(0), qsizetype(1), qsizetype(16), qsizetype(32), qsizetype(1000)}) {
        const auto bytes = randomBytes(count);
        QVERIFY2(bytes.ok(), qPrintable(bytes.ok() ? QString() : bytes.errorMessage()));
        QCOMPARE(bytes->size(), count);
    }
    QSet<QByteArray> seen;
    for (int i = 0; i < 1000; ++i) {
        const auto bytes = randomBytes(16);
        QVERIFY(bytes.ok());
        QVERIFY2(!seen.contains(bytes.value()), "a 16-byte random value repeated");
        seen.insert(bytes.value());
    }
    // Every byte value shows up in 64 KiB of output (fails with probability ~1e-110).
    const auto large = randomBytes(65536);
    QVERIFY(large.ok());
    QSet<char> values;
    for (const char c : large.value())
        values.insert(c);
    QCOMPARE(values.size(), 256);
}

void TestCrypto::randomBytesRejectsBadCounts()
{
    const auto negative = randomBytes(-1);
    QVERIFY(!negative.ok());
    QVERIFY(negative.errorMessage().contains(QStringLiteral("out of range")));
    QVERIFY(!randomBytes(qsizetype(1) << 40).ok());
}

void TestCrypto::randomUuidV4Format()
{
    static const QRegularExpression format(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> seen;
    QSet<QChar> variants;
    for (int i = 0; i < 2000; ++i) {
        const auto uuid = randomUuidV4();
        QVERIFY(uuid.ok());
        QVERIFY2(format.match(uuid.value()).hasMatch(), qPrintable(uuid.value()));
        QVERIFY(!seen.contains(uuid.value()));
        seen.insert(uuid.value());
        variants.insert(uuid->at(19));
    }
    // All four variant nibbles occur: the bits are forced, not the whole nibble.
    QCOMPARE(variants.size(), 4);
}

void TestCrypto::constantTimeEquals()
{
    QVERIFY(crypto::constantTimeEquals("secret", "secret"));
    QVERIFY(crypto::constantTimeEquals("", ""));
    QVERIFY(crypto::constantTimeEquals(QByteArray(), QByteArray("")));
    QVERIFY(!crypto::constantTimeEquals("secret", "secreT"));
    QVERIFY(!crypto::constantTimeEquals("secret", "Secret"));
    QVERIFY(!crypto::constantTimeEquals("secret", "secret2"));
    QVERIFY(!crypto::constantTimeEquals("secret", ""));
    QVERIFY(!crypto::constantTimeEquals("", "x"));
    QVERIFY(crypto::constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0b", 3)));
    QVERIFY(!crypto::constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0c", 3)));
}

void TestCrypto::secretMatchesAny()
{
    const QList<QByteArray> allowed{"first-secret", "second", "a-much-longer-third-secret-value"};
    QVERIFY(crypto::secretMatchesAny("first-secret", allowed));
    QVERIFY(crypto::secretMatchesAny("second", allowed));
    QVERIFY(crypto::secretMatchesAny("a-much-longer-third-secret-value", allowed));
    QVERIFY(!crypto::secretMatchesAny("none-of-them", allowed));
    QVERIFY(!crypto::secretMatchesAny("secon", allowed));
    QVERIFY(!crypto::secretMatchesAny("second ", allowed));
    QVERIFY(!crypto::secretMatchesAny("SECOND", allowed));
    QVERIFY(!crypto::secretMatchesAny("", allowed));
    QVERIFY(!crypto::secretMatchesAny("second", {}));
    QVERIFY(!crypto::secretMatchesAny("", {}));
    QVERIFY(crypto::secretMatchesAny("dup", {"dup", "dup"}));
}

// --- private keys ----------------------------------------------------------------------

void TestCrypto::generatedP256WrittenAsSec1ReadByOpenssl()
{
    OpensslWorkspace ws;
    QVERIFY(ws.isValid());
    auto key = PrivateKey::generateP256();
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.errorMessage()));
    QCOMPARE(key->type(), KeyType::EcP256);
    QCOMPARE(key->description(), QStringLiteral("ECDSA P-256"));
    const QByteArray pem = key->toPem();
    QVERIFY(pem.startsWith("-----BEGIN EC PRIVATE KEY-----\n"));
    QVERIFY(pem.endsWith("-----END EC PRIVATE KEY-----\n"));
    QVERIFY(ws.write("k.pem", pem));

    // `openssl ec -check` of 3.0 exits 0 even for an invalid key: read its verdict too.
    const auto check = ws.run({"ec", "-in", "k.pem", "-noout", "-check"});
    IMPRINT_VERIFY_PROCESS(check);
    QVERIFY2((check.out + check.err).contains("EC Key valid."), (check.out + check.err).constData());
    IMPRINT_VERIFY_PROCESS(ws.run({"pkey", "-in", "k.pem", "-noout", "-check"}));
    const auto text = ws.run({"ec", "-in", "k.pem", "-noout", "-text"});
    IMPRINT_VERIFY_PROCESS(text);
    QVERIFY(text.out.contains("NIST CURVE: P-256")); // named curve, not explicit parameters
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    QCOMPARE(key->publicKey().toPem(), pub.out);

    // Our reader takes our own output back, same key.
    const auto again = PrivateKey::fromPem(pem);
    QVERIFY(again.ok());
    QVERIFY(again->publicKey().equals(key->publicKey()));
    QCOMPARE(again->toPem(), pem);

    // Two generations differ.
    const auto other = PrivateKey::generateP256();
    QVERIFY(other.ok());
    QVERIFY(!other->publicKey().equals(key->publicKey()));
}

void TestCrypto::generatedEd25519WrittenAsPkcs8ReadByOpenssl()
{
    OpensslWorkspace ws;
    auto key = PrivateKey::generateEd25519();
    QVERIFY(key.ok());
    QCOMPARE(key->type(), KeyType::Ed25519);
    const QByteArray pem = key->toPem();
    QVERIFY(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
    QVERIFY(ws.write("k.pem", pem));
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    QCOMPARE(key->publicKey().toPem(), pub.out);
    QCOMPARE(key->publicKey().type(), KeyType::Ed25519);
    QCOMPARE(key->publicKey().bits(), 256);
}

void TestCrypto::readsKeysWrittenByOpenssl_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("description");
    QTest::newRow("SEC1 P-256 (ecparam -genkey -noout)")
        << "p256-sec1" << QByteArray("-----BEGIN EC PRIVATE KEY-----") << int(KeyType::EcP256) << "ECDSA P-256";
    QTest::newRow("SEC1 P-256 after EC PARAMETERS block")
        << "p256-sec1-params" << QByteArray("-----BEGIN EC PARAMETERS-----") << int(KeyType::EcP256)
        << "ECDSA P-256";
    QTest::newRow("PKCS#8 P-256 (genpkey)")
        << "p256-pkcs8" << QByteArray("-----BEGIN PRIVATE KEY-----") << int(KeyType::EcP256) << "ECDSA P-256";
    QTest::newRow("PKCS#8 Ed25519") << "ed25519" << QByteArray("-----BEGIN PRIVATE KEY-----")
                                    << int(KeyType::Ed25519) << "Ed25519";
    QTest::newRow("PKCS#8 RSA") << "rsa2048" << QByteArray("-----BEGIN PRIVATE KEY-----") << int(KeyType::Rsa)
                                << "RSA 2048";
    QTest::newRow("PKCS#1 RSA") << "rsa2048-pkcs1" << QByteArray("-----BEGIN RSA PRIVATE KEY-----")
                                << int(KeyType::Rsa) << "RSA 2048";
    QTest::newRow("PKCS#8 P-384") << "p384" << QByteArray("-----BEGIN PRIVATE KEY-----") << int(KeyType::EcOther)
                                  << "ECDSA P-384";
    QTest::newRow("SEC1 explicit-parameter P-256")
        << "p256-explicit" << QByteArray("-----BEGIN EC PRIVATE KEY-----") << int(KeyType::EcOther)
        << "ECDSA P-256 (explicit curve parameters)";
}

void TestCrypto::readsKeysWrittenByOpenssl()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, header);
    QFETCH(int, type);
    QFETCH(QString, description);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const QByteArray pem = ws.read("k.pem");
    QVERIFY2(pem.startsWith(header), pem.left(40).constData()); // the oracle made the format we meant

    const auto key = PrivateKey::fromPem(pem);
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.errorMessage()));
    QCOMPARE(int(key->type()), type);
    QCOMPARE(key->description(), description);
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    QCOMPARE(key->publicKey().toPem(), pub.out);
    const auto parsedPub = PublicKey::fromPem(pub.out);
    QVERIFY(parsedPub.ok());
    QVERIFY(parsedPub->equals(key->publicKey()));

    // What we write back is readable by openssl and is the same key.
    const QByteArray written = key->toPem();
    QVERIFY(!written.isEmpty());
    if (key->type() == KeyType::EcP256 || key->type() == KeyType::EcOther)
        QVERIFY(written.startsWith("-----BEGIN EC PRIVATE KEY-----\n"));
    else
        QVERIFY(written.startsWith("-----BEGIN PRIVATE KEY-----\n"));
    QVERIFY(ws.write("ours.pem", written));
    const auto pub2 = ws.run({"pkey", "-in", "ours.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub2);
    QCOMPARE(pub2.out, pub.out);
}

void TestCrypto::refusesEncryptedKeys_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("PKCS#8 ENCRYPTED PRIVATE KEY") << "p256-pkcs8-encrypted";
    QTest::newRow("SEC1 with Proc-Type ENCRYPTED") << "p256-sec1-encrypted";
}

void TestCrypto::refusesEncryptedKeys()
{
    QFETCH(QString, kind);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const QByteArray pem = ws.read("k.pem");
    QVERIFY(pem.contains("ENCRYPTED"));
    const auto key = PrivateKey::fromPem(pem);
    QVERIFY(!key.ok());
    QVERIFY2(key.errorMessage().contains(QStringLiteral("encrypted")), qPrintable(key.errorMessage()));
}

void TestCrypto::refusesMalformedKeyPem_data()
{
    OpensslWorkspace ws;
    QVERIFY(ws.generateKey("p256-sec1", "k.pem").exitCode == 0);
    const QByteArray good = ws.read("k.pem");
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    const auto csr = ws.run({"req", "-new", "-key", "k.pem", "-subj", "/CN=x"});
    const auto cert = ws.run({"req", "-new", "-x509", "-key", "k.pem", "-subj", "/CN=x", "-days", "1"});

    QByteArray corruptBody = good;
    corruptBody[good.indexOf('\n') + 10] = '*';
    // Valid base64 of something that is not a key.
    const QByteArray wrongDer = "-----BEGIN EC PRIVATE KEY-----\n" + QByteArray("not a key at all").toBase64()
        + "\n-----END EC PRIVATE KEY-----\n";

    QTest::addColumn<QByteArray>("pem");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << "empty";
    QTest::newRow("garbage") << QByteArray("garbage\n") << "no private key";
    QTest::newRow("binary") << QByteArray("\x30\x82\x01\x00\xff\x00\x01", 7) << "no private key";
    QTest::newRow("header only") << QByteArray("-----BEGIN EC PRIVATE KEY-----\n") << "malformed";
    QTest::newRow("no END line") << good.left(good.indexOf("-----END")) << "malformed";
    QTest::newRow("corrupt base64") << corruptBody << "malformed";
    QTest::newRow("not a key inside") << wrongDer << "not a valid private key";
    QTest::newRow("public key") << pub.out << "no private key";
    QTest::newRow("CSR") << csr.out << "no private key";
    QTest::newRow("certificate") << cert.out << "no private key";
    QTest::newRow("DSA label") << QByteArray("-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n")
                               << "unsupported";
    QTest::newRow("huge") << QByteArray(2 * 1024 * 1024, 'A') << "too large";
    QTest::newRow("just over 64 KiB") << (good + QByteArray(64 * 1024, '\n')) << "too large";
}

void TestCrypto::refusesMalformedKeyPem()
{
    QFETCH(QByteArray, pem);
    QFETCH(QString, message);
    const auto key = PrivateKey::fromPem(pem);
    QVERIFY(!key.ok());
    QVERIFY2(key.errorMessage().contains(message), qPrintable(key.errorMessage()));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCrypto::refusesTruncatedKeyPemAtEveryLength()
{
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey("p256-sec1", "k.pem"));
    const QByteArray good = ws.read("k.pem");
    const qsizetype endLine = good.indexOf("-----END EC PRIVATE KEY-----");
    for (qsizetype length = 0; length < good.size(); ++length) {
        const auto key = PrivateKey::fromPem(good.left(length));
        // Until the END line is complete the key cannot be read; after it, only the final
        // newline is missing and the key is complete.
        if (length < endLine + qsizetype(qstrlen("-----END EC PRIVATE KEY-----")))
            QVERIFY2(!key.ok(), qPrintable(QStringLiteral("accepted a %1-byte prefix").arg(length)));
        else
            QVERIFY(key.ok() || !key.errorMessage().isEmpty());
    }
    // A flipped byte anywhere never crashes; if accepted, the key is usable.
    for (qsizetype i = 0; i < good.size(); ++i) {
        QByteArray flipped = good;
        flipped[i] = char(flipped[i] ^ 0x01);
        const auto key = PrivateKey::fromPem(flipped);
        if (key.ok())
            QVERIFY(!key->publicKey().isNull());
        else
            QVERIFY(!key.errorMessage().isEmpty());
    }
}

void TestCrypto::refusesKeyWithForeignPublicPart()
{
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey("p256-sec1", "a.pem"));
    IMPRINT_VERIFY_PROCESS(ws.generateKey("p256-sec1", "b.pem"));
    // SEC1 ends with [1] BIT STRING { 04 || X || Y }: the last 65 bytes are the public point.
    QByteArray mixed = testing::pemDecode(ws.read("a.pem"));
    const QByteArray other = testing::pemDecode(ws.read("b.pem"));
    QVERIFY(mixed.size() == other.size() && mixed.at(mixed.size() - 65) == '\x04');
    mixed.replace(mixed.size() - 65, 65, other.right(65));
    const QByteArray pem = testing::pemEncode(mixed, "EC PRIVATE KEY");
    QVERIFY(ws.write("mixed.pem", pem));
    // The oracle agrees (`openssl ec -check` of 3.0 exits 0 even for a bad key; `pkey -check` does not).
    QVERIFY(ws.run({"pkey", "-in", "mixed.pem", "-noout", "-check"}).exitCode != 0);
    const auto check = ws.run({"ec", "-in", "mixed.pem", "-noout", "-check"});
    QVERIFY((check.out + check.err).contains("EC Key Invalid!"));

    const auto key = PrivateKey::fromPem(pem);
    QVERIFY(!key.ok());
    QVERIFY2(key.errorMessage().contains(QStringLiteral("inconsistent")), qPrintable(key.errorMessage()));
    QCOMPARE(ERR_peek_error(), 0ul);
}

void TestCrypto::nullAndMovedFromKeys()
{
    PrivateKey null;
    QVERIFY(null.isNull());
    QVERIFY(null.toPem().isEmpty());
    QCOMPARE(null.type(), KeyType::Other);
    QVERIFY(null.publicKey().isNull());
    QCOMPARE(null.description(), QStringLiteral("no key"));
    QVERIFY(null.get() == nullptr);

    auto generated = PrivateKey::generateP256();
    QVERIFY(generated.ok());
    PrivateKey owner = std::move(generated).value();
    PrivateKey moved = std::move(owner);
    QVERIFY(owner.isNull()); // NOLINT(bugprone-use-after-move): documented moved-from state
    QVERIFY(owner.toPem().isEmpty());
    QVERIFY(!moved.isNull());

    PublicKey nullPublic;
    QVERIFY(nullPublic.toPem().isEmpty());
    QVERIFY(nullPublic.toDer().isEmpty());
    QCOMPARE(nullPublic.type(), KeyType::Other);
    QCOMPARE(nullPublic.bits(), 0);
    QVERIFY(!nullPublic.equals(nullPublic));
    QVERIFY(!nullPublic.equals(moved.publicKey()));
    QVERIFY(!moved.publicKey().equals(nullPublic));

    // Copies of a public key share the key and stay valid after the original goes.
    PublicKey copy;
    {
        const PublicKey original = moved.publicKey();
        copy = original;
        PublicKey second(original);
        QVERIFY(second.equals(original));
    }
    QVERIFY(copy.equals(moved.publicKey()));
    QVERIFY(!PublicKey::fromHandle(nullptr).ok());
}

void TestCrypto::errorQueueLeftClean()
{
    ERR_clear_error();
    QVERIFY(!PrivateKey::fromPem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n").ok());
    QCOMPARE(ERR_peek_error(), 0ul);
    QVERIFY(!PublicKey::fromPem("garbage").ok());
    QCOMPARE(ERR_peek_error(), 0ul);
    const auto key = PrivateKey::generateP256();
    QVERIFY(key.ok());
    QVERIFY(!key->toPem().isEmpty());
    QCOMPARE(ERR_peek_error(), 0ul);
}

// --- public keys -----------------------------------------------------------------------

void TestCrypto::publicKeyPemRoundTrip()
{
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey("p256-sec1", "k.pem"));
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    const auto pubDer = ws.run({"pkey", "-in", "k.pem", "-pubout", "-outform", "DER"});
    IMPRINT_VERIFY_PROCESS(pubDer);
    const auto key = PublicKey::fromPem(pub.out);
    QVERIFY(key.ok());
    QCOMPARE(key->toPem(), pub.out);
    QCOMPARE(key->toDer(), pubDer.out);
    QCOMPARE(key->type(), KeyType::EcP256);
    QCOMPARE(key->bits(), 256);
    QCOMPARE(key->description(), QStringLiteral("ECDSA P-256"));
    const auto fromDer = PublicKey::fromDer(pubDer.out);
    QVERIFY(fromDer.ok());
    QVERIFY(fromDer->equals(key.value()));
    QVERIFY(!PublicKey::fromDer(pubDer.out + "x").ok());
    QVERIFY(!PublicKey::fromDer(pubDer.out.left(pubDer.out.size() - 1)).ok());
}

void TestCrypto::publicKeyRefusesGarbage_data()
{
    QTest::addColumn<QByteArray>("pem");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello");
    QTest::newRow("bad body") << QByteArray("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    QTest::newRow("bad base64") << QByteArray("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n");
    QTest::newRow("PKCS#1 RSA PUBLIC KEY label")
        << QByteArray("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n");
    QTest::newRow("huge") << QByteArray(100 * 1024, 'A');
}

void TestCrypto::publicKeyRefusesGarbage()
{
    QFETCH(QByteArray, pem);
    const auto key = PublicKey::fromPem(pem);
    QVERIFY(!key.ok());
    QVERIFY(!key.errorMessage().isEmpty());
}

// --- key policy ------------------------------------------------------------------------

void TestCrypto::keyPolicy_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("named");
    QTest::newRow("P-256 SEC1") << "p256-sec1" << true << "";
    QTest::newRow("P-256 PKCS#8") << "p256-pkcs8" << true << "";
    QTest::newRow("Ed25519") << "ed25519" << true << "";
    QTest::newRow("RSA 2048") << "rsa2048" << false << "key type RSA 2048 is not accepted";
    QTest::newRow("RSA 512") << "rsa512" << false << "key type RSA 512 is not accepted";
    QTest::newRow("P-384") << "p384" << false << "key type ECDSA P-384 is not accepted";
    QTest::newRow("secp256k1") << "secp256k1" << false << "key type ECDSA secp256k1 is not accepted";
    QTest::newRow("Ed448") << "ed448" << false << "key type Ed448 is not accepted";
    QTest::newRow("P-256 explicit parameters")
        << "p256-explicit" << false << "key type ECDSA P-256 (explicit curve parameters) is not accepted";
}

void TestCrypto::keyPolicy()
{
    QFETCH(QString, kind);
    QFETCH(bool, accepted);
    QFETCH(QString, named);
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.generateKey(kind, "k.pem"));
    const auto pub = ws.run({"pkey", "-in", "k.pem", "-pubout"});
    IMPRINT_VERIFY_PROCESS(pub);
    const auto key = PublicKey::fromPem(pub.out);
    QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.errorMessage()));
    const Status status = checkIssuanceKey(key.value());
    QCOMPARE(status.ok(), accepted);
    if (!accepted) {
        QVERIFY2(status.errorMessage().startsWith(named), qPrintable(status.errorMessage()));
        QVERIFY(status.errorMessage().endsWith(QStringLiteral("use ECDSA P-256 or Ed25519")));
    }
}

void TestCrypto::keyTypeNames()
{
    QCOMPARE(keyTypeName(KeyType::EcP256), QStringLiteral("ECDSA P-256"));
    QCOMPARE(keyTypeName(KeyType::Ed25519), QStringLiteral("Ed25519"));
    QCOMPARE(keyTypeName(KeyType::Rsa), QStringLiteral("RSA"));
    QCOMPARE(keyTypeName(KeyType::EcOther), QStringLiteral("ECDSA"));
    QCOMPARE(keyTypeName(KeyType::Other), QStringLiteral("other"));
    QCOMPARE(keyTypeOf(nullptr), KeyType::Other);
    QCOMPARE(describeKey(nullptr), QStringLiteral("no key"));
    QVERIFY(!checkIssuanceKey(PublicKey()).ok());
}

// --- library lifetime ------------------------------------------------------------------

void TestCrypto::opensslOutlivesExitHandlers()
{
    // A Qt network thread can still be inside OpenSSL's per-thread destructor while the
    // main thread exits; if OPENSSL_cleanup() ran at exit the two would free the same
    // memory. The probe is linked like every Imprint program and reports from its last
    // exit handler whether OpenSSL was torn down.
    QProcess probe;
    probe.start(QStringLiteral(IMPRINT_OPENSSL_EXIT_PROBE), QStringList());
    QVERIFY2(probe.waitForFinished(30000), qPrintable(probe.errorString()));
    QCOMPARE(probe.exitStatus(), QProcess::NormalExit);
    QVERIFY2(probe.exitCode() == 0, probe.readAllStandardError().constData());
    QCOMPARE(probe.readAllStandardOutput(), QByteArray("32\n"));
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
