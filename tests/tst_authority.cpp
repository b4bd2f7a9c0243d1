// The authority of PROTOCOL.md section 3 as pure logic: a real CA in a temporary
// directory, a real SQLite registry, and a clock that only moves when the test says so.
#include "authority/authority.h"
#include "authority/certificateauthority.h"
#include "crypto/csr.h"
#include "crypto/privatekey.h"
#include "crypto/proof.h"
#include "storage/lastseenrecorder.h"
#include "storage/registry.h"
#include "support/testing.h"

#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace imprint;
using namespace std::chrono_literals;
using authority::Authority;
using authority::AuthorityConfig;
using authority::CertificateAuthority;
using authority::RequestContext;
using protocol::ErrorKind;

namespace {

const QDateTime kStart = QDateTime(QDate(2026, 1, 10), QTime(12, 0), Qt::UTC);
const QByteArray kSecret = "build-secret-1";
const QString kFingerprint = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));

struct Device {
    crypto::PrivateKey key;
    QString serverId;
    crypto::Certificate certificate;
};

} // namespace

class TestAuthority : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void enrollIssuesCertificateOfSection4();
    void enrollRefusesUnknownSecret();
    void enrollRefusesUnsafeDeviceAttributes_data();
    void enrollRefusesUnsafeDeviceAttributes();
    void enrollRefusesBadCsr_data();
    void enrollRefusesBadCsr();
    void reenrollKeepsServerIdAndSupersedesSerial();
    void guardAcceptsCurrentCertificateOnly();
    void guardRefusesExpiredCertificate();
    void guardNotesLastSeenInMemory();
    void renewReplacesSerial();
    void renewWithSupersededSerialRefused();
    void challengeRenewSucceedsAfterExpiry();
    void challengeRenewFailuresAreIndistinguishable_data();
    void challengeRenewFailuresAreIndistinguishable();
    void revokedDeviceIsRefusedEverywhere();
    void concurrentEnrollmentsOfOneFingerprintYieldOneDevice();

private:
    std::unique_ptr<Authority> makeAuthority(storage::LastSeenRecorder *lastSeen = nullptr);
    Device enroll(const QString &fingerprint = kFingerprint);
    RequestContext contextFor(const crypto::Certificate &certificate) const;
    protocol::ChallengeRenewRequest challengeFor(const Device &device, const crypto::PrivateKey &newKey) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<const CertificateAuthority> m_ca;
    std::unique_ptr<storage::Registry> m_registry;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Authority> m_authority;
    storage::DatabaseUrl m_url;
};

void TestAuthority::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_clock = std::make_unique<ManualClock>(kStart);
    auto ca = CertificateAuthority::create(m_dir->filePath(QStringLiteral("ca")), QStringLiteral("Test Org"), kStart);
    QVERIFY2(ca.ok(), qPrintable(ca.ok() ? QString() : ca.errorMessage()));
    m_ca = ca.value();
    auto url = storage::parseDatabaseUrl(m_dir->filePath(QStringLiteral("registry.db")));
    QVERIFY(url.ok());
    m_url = url.value();
    auto registry = storage::Registry::open(m_url, QStringLiteral("test"));
    QVERIFY2(registry.ok(), qPrintable(registry.ok() ? QString() : registry.errorMessage()));
    m_registry = std::move(registry).value();
    m_authority = makeAuthority();
}

void TestAuthority::cleanup()
{
    m_authority.reset();
    m_registry.reset();
    m_dir.reset();
}

std::unique_ptr<Authority> TestAuthority::makeAuthority(storage::LastSeenRecorder *lastSeen)
{
    AuthorityConfig config;
    config.buildSecrets = {QByteArray("other-secret"), kSecret};
    config.validity = 30 * 24h;
    config.challengeWindow = 7 * 24h;
    return std::make_unique<Authority>(m_ca, config, *m_clock, lastSeen);
}

RequestContext TestAuthority::contextFor(const crypto::Certificate &certificate) const
{
    RequestContext context;
    context.remoteAddress = QStringLiteral("127.0.0.1");
    context.peerCertificate = certificate;
    return context;
}

static protocol::EnrollRequest enrollRequest(const crypto::PrivateKey &key, const QString &fingerprint)
{
    protocol::EnrollRequest request;
    request.buildSecret = QString::fromUtf8(kSecret);
    request.fingerprint = fingerprint;
    request.hostname = QStringLiteral("kiosk-7");
    request.os = QStringLiteral("linux");
    request.arch = QStringLiteral("amd64");
    request.csr = QString::fromLatin1(crypto::createCsr(key, QStringLiteral("ignored-subject")).value());
    return request;
}

Device TestAuthority::enroll(const QString &fingerprint)
{
    Device device{crypto::PrivateKey::generateP256().value(), {}, {}};
    auto outcome = m_authority->enroll(*m_registry, enrollRequest(device.key, fingerprint), RequestContext{});
    if (!outcome) {
        qWarning() << outcome.refusal().logReason;
        return device;
    }
    device.serverId = outcome.value().serverId;
    device.certificate = crypto::Certificate::fromPem(outcome.value().certificate.toUtf8()).value();
    return device;
}

protocol::ChallengeRenewRequest TestAuthority::challengeFor(const Device &device,
                                                           const crypto::PrivateKey &newKey) const
{
    protocol::ChallengeRenewRequest request;
    request.serverId = device.serverId;
    request.fingerprint = kFingerprint;
    request.expiredCert = QString::fromLatin1(device.certificate.toPem());
    const QByteArray csr = crypto::createCsr(newKey, device.serverId).value();
    request.csr = QString::fromLatin1(csr);
    request.proof = QString::fromLatin1(crypto::signProof(device.key, device.serverId, kFingerprint, csr).value());
    return request;
}

void TestAuthority::enrollIssuesCertificateOfSection4()
{
    const Device device = enroll();
    QVERIFY(!device.certificate.isNull());
    QVERIFY(QRegularExpression(QStringLiteral("^srv_[0-9a-f]{32}$")).match(device.serverId).hasMatch());
    const crypto::Certificate &c = device.certificate;
    QCOMPARE(c.subjectCommonName(), device.serverId);
    QCOMPARE(c.subjectOrganization(), QStringLiteral("Test Org"));
    QCOMPARE(c.sanUris(), QStringList{QStringLiteral("imprint://server/") + device.serverId});
    QVERIFY(c.hasExtendedKeyUsageClientAuth());
    QVERIFY(!c.hasExtendedKeyUsageServerAuth());
    QVERIFY(!c.isCa());
    QVERIFY(c.isSignedBy(m_ca->certificate()));
    QCOMPARE(c.notBefore(), kStart.addSecs(-5 * 60));
    QCOMPARE(c.notAfter(), kStart.addSecs(30 * 86400));
    QVERIFY(c.publicKey().equals(device.key.publicKey()));
    // At least 64 random bits: 128-bit positive serials have 31 or 32 hex digits.
    QVERIFY(c.serialHex().size() >= 16);

    auto stored = m_registry->deviceByServerId(device.serverId);
    QVERIFY(stored.ok() && stored.value().has_value());
    QCOMPARE(stored.value()->fingerprint, kFingerprint);
    QCOMPARE(stored.value()->hostname, QStringLiteral("kiosk-7"));
    QCOMPARE(stored.value()->currentSerial, c.serialHex());
    QCOMPARE(storage::toString(stored.value()->status), storage::toString(storage::DeviceStatus::Active));
    QCOMPARE(stored.value()->enrolledAt, kStart);
}

void TestAuthority::enrollRefusesUnknownSecret()
{
    auto key = crypto::PrivateKey::generateP256().value();
    auto request = enrollRequest(key, kFingerprint);
    request.buildSecret = QStringLiteral("build-secret-2");
    auto outcome = m_authority->enroll(*m_registry, request, RequestContext{});
    QVERIFY(!outcome);
    QCOMPARE(outcome.refusal().kind, ErrorKind::Unauthorized);
    QCOMPARE(outcome.refusal().clientMessage, QStringLiteral("unknown build secret"));
    QVERIFY(!m_registry->deviceByFingerprint(kFingerprint).value().has_value());
    // The other allowed secret works.
    request.buildSecret = QStringLiteral("other-secret");
    QVERIFY(m_authority->enroll(*m_registry, request, RequestContext{}).ok());
}

void TestAuthority::enrollRefusesUnsafeDeviceAttributes_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("escape in hostname") << "hostname" << QStringLiteral("kiosk\x1b[2J")
                                        << QStringLiteral("field \"hostname\" contains the control character U+001B");
    QTest::newRow("newline in os") << "os" << QStringLiteral("linux\nroot") << QStringLiteral("field \"os\" contains the control character U+000A");
    QTest::newRow("C1 control in arch") << "arch" << QStringLiteral("amd\u009B64")
                                        << QStringLiteral("field \"arch\" contains the control character U+009B");
    QTest::newRow("override in hostname") << "hostname" << QStringLiteral("kiosk\u202Elive")
                                          << QStringLiteral("field \"hostname\" contains the control character U+202E");
    QTest::newRow("isolate in fingerprint") << "fingerprint" << QStringLiteral("sha256:\u2066ab")
                                            << QStringLiteral("field \"fingerprint\" contains the control character U+2066");
    QTest::newRow("long hostname") << "hostname" << QString(256, QLatin1Char('k'))
                                   << QStringLiteral("field \"hostname\" is longer than 255 characters");
    QTest::newRow("long arch") << "arch" << QString(65, QLatin1Char('x'))
                               << QStringLiteral("field \"arch\" is longer than 64 characters");
    QTest::newRow("long fingerprint") << "fingerprint" << QStringLiteral("sha256:") + QString(250, QLatin1Char('a'))
                                      << QStringLiteral("field \"fingerprint\" is longer than 256 characters");
}

void TestAuthority::enrollRefusesUnsafeDeviceAttributes()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    auto key = crypto::PrivateKey::generateP256().value();
    auto request = enrollRequest(key, kFingerprint);
    (field == QLatin1String("hostname") ? request.hostname
     : field == QLatin1String("os")     ? request.os
     : field == QLatin1String("arch")   ? request.arch
                                        : request.fingerprint) = value;
    auto outcome = m_authority->enroll(*m_registry, request, RequestContext{});
    QVERIFY(!outcome);
    QCOMPARE(outcome.refusal().kind, ErrorKind::BadRequest);
    QCOMPARE(outcome.refusal().clientMessage, expected);
    // Refused at the door, also with a wrong secret: no device, and no event that would
    // carry the text into the console.
    request.buildSecret = QStringLiteral("wrong");
    QCOMPARE(m_authority->enroll(*m_registry, request, RequestContext{}).refusal().kind, ErrorKind::BadRequest);
    QCOMPARE(m_registry->devices({}).value().size(), 0);
    QCOMPARE(m_registry->recentEvents(10).value().size(), 0);
    // Printable text of the same fields is kept as sent.
    auto fine = enrollRequest(key, kFingerprint);
    fine.hostname = QStringLiteral("Kiosk \u00C4rger-Stra\u00DFe 7 \u2013 lobby");
    QVERIFY(m_authority->enroll(*m_registry, fine, RequestContext{}).ok());
    QCOMPARE(m_registry->deviceByFingerprint(kFingerprint).value()->hostname, fine.hostname);
}

void TestAuthority::enrollRefusesBadCsr_data()
{
    QTest::addColumn<QString>("csr");
    QTest::addColumn<QString>("expected");
    const QString good = QString::fromLatin1(
        crypto::createCsr(crypto::PrivateKey::generateP256().value(), QStringLiteral("x")).value());
    QString tampered = good;
    // Flip one base64 character in the middle of the signed part.
    const qsizetype at = tampered.indexOf(QLatin1Char('\n')) + 40;
    tampered[at] = tampered[at] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    QTest::newRow("not PEM") << QStringLiteral("hello") << QStringLiteral("invalid CSR");
    QTest::newRow("bad signature") << tampered << QStringLiteral("invalid CSR");
    // A P-384 key made by the openssl command line: parses, but the policy refuses it.
    QTemporaryDir dir;
    const QString keyPath = dir.filePath(QStringLiteral("p384.key"));
    QCOMPARE(testing::runOpenssl({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                                  QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-384"),
                                  QStringLiteral("-out"), keyPath})
                 .exitCode,
             0);
    const auto p384 = testing::runOpenssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), keyPath,
                                           QStringLiteral("-subj"), QStringLiteral("/CN=x")});
    QCOMPARE(p384.exitCode, 0);
    QTest::newRow("P-384 key") << QString::fromLatin1(p384.out) << QStringLiteral("invalid CSR: key type");
}

void TestAuthority::enrollRefusesBadCsr()
{
    QFETCH(QString, csr);
    QFETCH(QString, expected);
    auto request = enrollRequest(crypto::PrivateKey::generateP256().value(), kFingerprint);
    request.csr = csr;
    auto outcome = m_authority->enroll(*m_registry, request, RequestContext{});
    QVERIFY(!outcome);
    QCOMPARE(outcome.refusal().kind, ErrorKind::BadRequest);
    QVERIFY2(outcome.refusal().clientMessage.startsWith(expected), qPrintable(outcome.refusal().clientMessage));
    QVERIFY(!m_registry->deviceByFingerprint(kFingerprint).value().has_value());
}

void TestAuthority::reenrollKeepsServerIdAndSupersedesSerial()
{
    const Device first = enroll();
    m_clock->advance(3600);
    const Device second = enroll();
    QCOMPARE(second.serverId, first.serverId);
    QVERIFY(second.certificate.serialHex() != first.certificate.serialHex());
    auto stored = m_registry->deviceByServerId(first.serverId).value();
    QCOMPARE(stored->enrolledAt, kStart);
    QCOMPARE(stored->currentSerial, second.certificate.serialHex());
    QVERIFY(!m_authority->guard(*m_registry, contextFor(first.certificate)));
    QVERIFY(m_authority->guard(*m_registry, contextFor(second.certificate)));
    auto history = m_registry->certificates(first.serverId).value();
    QCOMPARE(history.size(), 2);
    QCOMPARE(storage::toString(history.first().how), storage::toString(storage::IssuedHow::Reenroll));
    QCOMPARE(storage::toString(history.last().how), storage::toString(storage::IssuedHow::Enroll));
}

void TestAuthority::guardAcceptsCurrentCertificateOnly()
{
    const Device device = enroll();
    auto accepted = m_authority->guard(*m_registry, contextFor(device.certificate));
    QVERIFY(accepted);
    QCOMPARE(accepted.value().device.serverId, device.serverId);

    auto none = m_authority->guard(*m_registry, RequestContext{});
    QVERIFY(!none);
    QCOMPARE(none.refusal().kind, ErrorKind::Unauthorized);
    QCOMPARE(none.refusal().clientMessage, QStringLiteral("unauthorized"));

    // A certificate of this CA for a device the registry does not know.
    auto key = crypto::PrivateKey::generateP256().value();
    auto stranger = m_ca->issueDeviceCertificate(key.publicKey(), QStringLiteral("srv_%1").arg(QString(32, QLatin1Char('0'))),
                                                 24h, kStart);
    QVERIFY(stranger.ok());
    auto unknown = m_authority->guard(*m_registry, contextFor(stranger.value()));
    QVERIFY(!unknown);
    QCOMPARE(unknown.refusal().clientMessage, QStringLiteral("unauthorized"));

    // Same server_id, but not the current serial.
    auto sibling = m_ca->issueDeviceCertificate(key.publicKey(), device.serverId, 24h, kStart);
    auto superseded = m_authority->guard(*m_registry, contextFor(sibling.value()));
    QVERIFY(!superseded);
    QCOMPARE(superseded.refusal().clientMessage, QStringLiteral("unauthorized"));
    QVERIFY(superseded.refusal().logReason.contains(QStringLiteral("superseded")));
}

void TestAuthority::guardRefusesExpiredCertificate()
{
    const Device device = enroll();
    m_clock->set(device.certificate.notAfter().addSecs(1));
    auto refused = m_authority->guard(*m_registry, contextFor(device.certificate));
    QVERIFY(!refused);
    QCOMPARE(refused.refusal().kind, ErrorKind::Unauthorized);
}

void TestAuthority::guardNotesLastSeenInMemory()
{
    storage::LastSeenRecorder recorder;
    m_authority = makeAuthority(&recorder);
    const Device device = enroll();
    m_clock->advance(600);
    QVERIFY(m_authority->guard(*m_registry, contextFor(device.certificate)));
    // Nothing written yet: the guard only notes it.
    QCOMPARE(m_registry->deviceByServerId(device.serverId).value()->lastSeenAt, kStart);
    QVERIFY(recorder.flush(*m_registry).ok());
    QCOMPARE(m_registry->deviceByServerId(device.serverId).value()->lastSeenAt, kStart.addSecs(600));
}

void TestAuthority::renewReplacesSerial()
{
    const Device device = enroll();
    m_clock->advance(20 * 86400);
    auto caller = m_authority->guard(*m_registry, contextFor(device.certificate));
    QVERIFY(caller);
    auto newKey = crypto::PrivateKey::generateP256().value();
    protocol::RenewRequest request{QString::fromLatin1(crypto::createCsr(newKey, device.serverId).value())};
    auto renewed = m_authority->renew(*m_registry, request, caller.value(), contextFor(device.certificate));
    QVERIFY2(renewed.ok(), renewed.ok() ? "" : qPrintable(renewed.refusal().logReason));
    QCOMPARE(renewed.value().serverId, device.serverId);
    auto certificate = crypto::Certificate::fromPem(renewed.value().certificate.toUtf8()).value();
    QVERIFY(certificate.publicKey().equals(newKey.publicKey()));
    QCOMPARE(certificate.notAfter(), m_clock->now().addSecs(30 * 86400));
    // The old certificate stops working at once; the new one works.
    QVERIFY(!m_authority->guard(*m_registry, contextFor(device.certificate)));
    QVERIFY(m_authority->guard(*m_registry, contextFor(certificate)));
    QCOMPARE(storage::toString(m_registry->certificates(device.serverId).value().first().how), storage::toString(storage::IssuedHow::Renew));

    // A renewal with a CSR of a refused key type is a 400.
    auto caller2 = m_authority->guard(*m_registry, contextFor(certificate));
    protocol::RenewRequest bad{QStringLiteral("not a csr")};
    auto refused = m_authority->renew(*m_registry, bad, caller2.value(), contextFor(certificate));
    QVERIFY(!refused);
    QCOMPARE(refused.refusal().kind, ErrorKind::BadRequest);
}

void TestAuthority::renewWithSupersededSerialRefused()
{
    const Device device = enroll();
    auto caller = m_authority->guard(*m_registry, contextFor(device.certificate));
    QVERIFY(caller);
    // Another request renews first (e.g. a second process with the same old certificate).
    auto key1 = crypto::PrivateKey::generateP256().value();
    QVERIFY(m_authority->renew(*m_registry, {QString::fromLatin1(crypto::createCsr(key1, device.serverId).value())},
                               caller.value(), {}));
    auto key2 = crypto::PrivateKey::generateP256().value();
    auto late = m_authority->renew(*m_registry, {QString::fromLatin1(crypto::createCsr(key2, device.serverId).value())},
                                   caller.value(), {});
    QVERIFY(!late);
    QCOMPARE(late.refusal().kind, ErrorKind::Unauthorized);
}

void TestAuthority::challengeRenewSucceedsAfterExpiry()
{
    const Device device = enroll();
    m_clock->set(device.certificate.notAfter().addSecs(2 * 86400));
    auto newKey = crypto::PrivateKey::generateP256().value();
    auto renewed = m_authority->challengeRenew(*m_registry, challengeFor(device, newKey), {});
    QVERIFY2(renewed.ok(), renewed.ok() ? "" : qPrintable(renewed.refusal().logReason));
    auto certificate = crypto::Certificate::fromPem(renewed.value().certificate.toUtf8()).value();
    QCOMPARE(certificate.subjectCommonName(), device.serverId);
    QVERIFY(m_authority->guard(*m_registry, contextFor(certificate)));
    QCOMPARE(storage::toString(m_registry->certificates(device.serverId).value().first().how), storage::toString(storage::IssuedHow::Challenge));
    // The same proof cannot be replayed: the expired serial is no longer current.
    QVERIFY(!m_authority->challengeRenew(*m_registry, challengeFor(device, newKey), {}));
}

void TestAuthority::challengeRenewFailuresAreIndistinguishable_data()
{
    QTest::addColumn<QString>("breakage");
    for (const char *name : {"not expired", "window passed", "cert garbage", "other CA", "server_id mismatch",
                             "unknown device", "revoked", "superseded serial", "fingerprint mismatch",
                             "proof by other key", "proof over other csr", "proof not base64", "csr garbage",
                             "csr bad signature", "server cert without clientAuth"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestAuthority::challengeRenewFailuresAreIndistinguishable()
{
    QFETCH(QString, breakage);
    Device device = enroll();
    const QDateTime expired = device.certificate.notAfter().addSecs(86400);
    m_clock->set(expired);
    auto newKey = crypto::PrivateKey::generateP256().value();
    auto request = challengeFor(device, newKey);

    if (breakage == QLatin1String("not expired")) {
        m_clock->set(device.certificate.notAfter().addSecs(-60));
    } else if (breakage == QLatin1String("window passed")) {
        m_clock->set(device.certificate.notAfter().addSecs(7 * 86400 + 1));
    } else if (breakage == QLatin1String("cert garbage")) {
        request.expiredCert = QStringLiteral("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    } else if (breakage == QLatin1String("other CA")) {
        QTemporaryDir otherDir;
        auto other = CertificateAuthority::create(otherDir.path() + QStringLiteral("/ca"), QStringLiteral("Test Org"), kStart);
        auto forged = other.value()->issueDeviceCertificate(device.key.publicKey(), device.serverId, 30 * 24h, kStart);
        request.expiredCert = QString::fromLatin1(forged.value().toPem());
    } else if (breakage == QLatin1String("server_id mismatch")) {
        Device other = enroll(QStringLiteral("sha256:") + QString(64, QLatin1Char('b')));
        request.serverId = other.serverId;
        request.proof = QString::fromLatin1(
            crypto::signProof(device.key, other.serverId, kFingerprint, request.csr.toUtf8()).value());
    } else if (breakage == QLatin1String("unknown device")) {
        QVERIFY(m_registry->deleteDevice(device.serverId, QStringLiteral("test"), kStart).ok());
    } else if (breakage == QLatin1String("revoked")) {
        QVERIFY(m_registry->revoke(device.serverId, QStringLiteral("stolen"), QStringLiteral("test"), kStart).ok());
    } else if (breakage == QLatin1String("superseded serial")) {
        m_clock->set(kStart);
        Device again = enroll();
        QCOMPARE(again.serverId, device.serverId);
        m_clock->set(expired);
    } else if (breakage == QLatin1String("fingerprint mismatch")) {
        request.fingerprint = QStringLiteral("sha256:") + QString(64, QLatin1Char('c'));
        request.proof = QString::fromLatin1(
            crypto::signProof(device.key, device.serverId, request.fingerprint, request.csr.toUtf8()).value());
    } else if (breakage == QLatin1String("proof by other key")) {
        request.proof = QString::fromLatin1(
            crypto::signProof(newKey, device.serverId, kFingerprint, request.csr.toUtf8()).value());
    } else if (breakage == QLatin1String("proof over other csr")) {
        request.csr = QString::fromLatin1(crypto::createCsr(newKey, QStringLiteral("other")).value());
    } else if (breakage == QLatin1String("proof not base64")) {
        request.proof = QStringLiteral("!!!not-base64!!!");
    } else if (breakage == QLatin1String("csr garbage")) {
        request.csr = QStringLiteral("garbage");
        request.proof = QString::fromLatin1(
            crypto::signProof(device.key, device.serverId, kFingerprint, request.csr.toUtf8()).value());
    } else if (breakage == QLatin1String("csr bad signature")) {
        QString csr = request.csr;
        const qsizetype at = csr.indexOf(QLatin1Char('\n')) + 30;
        csr[at] = csr[at] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
        request.csr = csr;
        request.proof = QString::fromLatin1(
            crypto::signProof(device.key, device.serverId, kFingerprint, request.csr.toUtf8()).value());
    } else if (breakage == QLatin1String("server cert without clientAuth")) {
        auto serverCertificate = m_ca->issueServerCertificate(device.key.publicKey(), {device.serverId}, 24h, kStart);
        request.expiredCert = QString::fromLatin1(serverCertificate.value().toPem());
    }

    auto outcome = m_authority->challengeRenew(*m_registry, request, {});
    QVERIFY(!outcome);
    QCOMPARE(outcome.refusal().kind, ErrorKind::Unauthorized);
    QCOMPARE(outcome.refusal().clientMessage, QStringLiteral("challenge renewal failed"));
    QVERIFY(!outcome.refusal().logReason.isEmpty());
}

void TestAuthority::revokedDeviceIsRefusedEverywhere()
{
    const Device device = enroll();
    QVERIFY(m_registry->revoke(device.serverId, QStringLiteral("stolen"), QStringLiteral("test"), kStart).ok());

    auto guard = m_authority->guard(*m_registry, contextFor(device.certificate));
    QVERIFY(!guard);
    QCOMPARE(guard.refusal().kind, ErrorKind::Unauthorized);

    m_clock->set(device.certificate.notAfter().addSecs(60));
    auto challenge = m_authority->challengeRenew(
        *m_registry, challengeFor(device, crypto::PrivateKey::generateP256().value()), {});
    QVERIFY(!challenge);
    QCOMPARE(challenge.refusal().kind, ErrorKind::Unauthorized);

    auto again = m_authority->enroll(*m_registry, enrollRequest(crypto::PrivateKey::generateP256().value(), kFingerprint),
                                     RequestContext{});
    QVERIFY(!again);
    QCOMPARE(again.refusal().kind, ErrorKind::Forbidden);
    QVERIFY(again.refusal().clientMessage.contains(QStringLiteral("revoked")));
    QCOMPARE(storage::toString(m_registry->deviceByServerId(device.serverId).value()->status), storage::toString(storage::DeviceStatus::Revoked));
}

void TestAuthority::concurrentEnrollmentsOfOneFingerprintYieldOneDevice()
{
    constexpr int kThreads = 4;
    QList<QString> serverIds(kThreads);
    QList<QString> failures(kThreads);
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            auto registry = storage::Registry::open(m_url, QStringLiteral("thread-%1").arg(i));
            if (!registry) {
                failures[i] = registry.errorMessage();
                return;
            }
            const auto request = enrollRequest(crypto::PrivateKey::generateP256().value(), kFingerprint);
            ready.fetch_add(1);
            while (ready.load() < kThreads)
                std::this_thread::yield();
            auto outcome = m_authority->enroll(*registry.value(), request, RequestContext{});
            if (outcome)
                serverIds[i] = outcome.value().serverId;
            else
                failures[i] = outcome.refusal().logReason;
        });
    }
    for (auto &thread : threads)
        thread.join();
    for (int i = 0; i < kThreads; ++i)
        QVERIFY2(failures[i].isEmpty(), qPrintable(failures[i]));
    for (int i = 1; i < kThreads; ++i)
        QCOMPARE(serverIds[i], serverIds[0]);
    QCOMPARE(m_registry->countDevices({}).value(), qint64(1));
    QCOMPARE(m_registry->certificates(serverIds[0]).value().size(), kThreads);
}

QTEST_GUILESS_MAIN(TestAuthority)
#include "tst_authority.moc"
