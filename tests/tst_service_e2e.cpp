// `imprint serve` end to end over real TLS on loopback, with the curl and openssl command
// lines as an independent client.
#include "support/serveprocess.h"
#include "support/testing.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace imprint::testing;

namespace {

const QString kFingerprint = QStringLiteral("sha256:") + QString(64, QLatin1Char('e'));

struct HttpResult {
    int curlExit = -1;
    int status = 0;
    QByteArray body;
    QByteArray headers;
};

} // namespace

class TestServiceEndToEnd : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void healthz();
    void enrollIssuesCertificateCheckedByOpenssl();
    void deviceEndpointNeedsCurrentCertificate();
    void renewSupersedesOldCertificate();
    void certificateOfAnotherCaRefusedAtTls();
    void challengeRenewWithOpensslProof();
    void revokedDeviceRefused();
    void errorAnswers_data();
    void errorAnswers();
    void oversizedBodyAnswered413();
    void oversizedHeadersAnswered431();
    void idleConnectionClosed();
    void sigtermStopsCleanly();

private:
    QString file(const QString &name) const { return m_work.filePath(name); }
    QString makeKeyAndCsr(const QString &name, const QString &commonName);
    HttpResult curl(const QString &method, const QString &path, const QByteArray &body = {},
                    const QStringList &extra = {});
    QJsonObject enroll(const QString &name, const QString &fingerprint = kFingerprint);

    QTemporaryDir m_work;
    std::unique_ptr<ServeProcess> m_serve;
};

void TestServiceEndToEnd::initTestCase()
{
    ServeProcess::Options options;
    options.extraArguments = {QStringLiteral("--validity"), QStringLiteral("10d"), QStringLiteral("--idle-timeout"),
                              QStringLiteral("2s")};
    m_serve = std::make_unique<ServeProcess>(options);
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestServiceEndToEnd::cleanupTestCase()
{
    if (m_serve)
        QCOMPARE(m_serve->stop(), 0);
}

QString TestServiceEndToEnd::makeKeyAndCsr(const QString &name, const QString &commonName)
{
    const QString key = file(name + QStringLiteral(".key"));
    const QString csr = file(name + QStringLiteral(".csr"));
    const auto made = runOpenssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                                  QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                                  QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                                  QStringLiteral("-keyout"), key, QStringLiteral("-subj"),
                                  QStringLiteral("/CN=") + commonName, QStringLiteral("-out"), csr});
    if (made.exitCode != 0)
        qWarning() << made.err;
    QFile in(csr);
    in.open(QIODevice::ReadOnly);
    return QString::fromLatin1(in.readAll());
}

HttpResult TestServiceEndToEnd::curl(const QString &method, const QString &path, const QByteArray &body,
                                     const QStringList &extra)
{
    const QString bodyFile = file(QStringLiteral("body.json"));
    QFile out(bodyFile);
    out.open(QIODevice::WriteOnly | QIODevice::Truncate);
    out.write(body);
    out.close();
    QStringList arguments{QStringLiteral("-sS"), QStringLiteral("--cacert"), m_serve->caFile(),
                          QStringLiteral("-X"), method, QStringLiteral("-D"), file(QStringLiteral("headers")),
                          QStringLiteral("-o"), file(QStringLiteral("response")), QStringLiteral("-w"),
                          QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                          QStringLiteral("Content-Type: application/json")};
    if (!body.isEmpty())
        arguments << QStringLiteral("--data-binary") << QLatin1Char('@') + bodyFile;
    arguments << extra << m_serve->url() + path;
    QFile::remove(file(QStringLiteral("response")));
    QFile::remove(file(QStringLiteral("headers")));
    const auto run = runProcess(QStringLiteral("curl"), arguments);
    HttpResult result;
    result.curlExit = run.exitCode;
    result.status = run.out.toInt();
    QFile response(file(QStringLiteral("response")));
    if (response.open(QIODevice::ReadOnly))
        result.body = response.readAll();
    QFile headers(file(QStringLiteral("headers")));
    if (headers.open(QIODevice::ReadOnly))
        result.headers = headers.readAll();
    return result;
}

QJsonObject TestServiceEndToEnd::enroll(const QString &name, const QString &fingerprint)
{
    const QString csr = makeKeyAndCsr(name, QStringLiteral("whatever"));
    const QJsonObject request{{QStringLiteral("build_secret"), QStringLiteral("test-build-secret")},
                              {QStringLiteral("fingerprint"), fingerprint},
                              {QStringLiteral("hostname"), QStringLiteral("kiosk-1")},
                              {QStringLiteral("os"), QStringLiteral("linux")},
                              {QStringLiteral("arch"), QStringLiteral("amd64")},
                              {QStringLiteral("csr"), csr}};
    const HttpResult result = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/enroll"),
                                   QJsonDocument(request).toJson());
    if (result.status != 200) {
        qWarning() << result.status << result.body;
        return {};
    }
    const QJsonObject response = QJsonDocument::fromJson(result.body).object();
    QFile certificate(file(name + QStringLiteral(".crt")));
    certificate.open(QIODevice::WriteOnly | QIODevice::Truncate);
    certificate.write(response.value(QStringLiteral("certificate")).toString().toLatin1());
    return response;
}

void TestServiceEndToEnd::healthz()
{
    const HttpResult result = curl(QStringLiteral("GET"), QStringLiteral("/healthz"));
    QCOMPARE(result.curlExit, 0);
    QCOMPARE(result.status, 200);
}

void TestServiceEndToEnd::enrollIssuesCertificateCheckedByOpenssl()
{
    const QJsonObject response = enroll(QStringLiteral("first"));
    const QString serverId = response.value(QStringLiteral("server_id")).toString();
    QVERIFY(QRegularExpression(QStringLiteral("^srv_[0-9a-f]{32}$")).match(serverId).hasMatch());
    QFile ca(m_serve->caFile());
    QVERIFY(ca.open(QIODevice::ReadOnly));
    QCOMPARE(response.value(QStringLiteral("ca_certificate")).toString().toLatin1(), ca.readAll());

    const auto text = runOpenssl({QStringLiteral("x509"), QStringLiteral("-in"), file(QStringLiteral("first.crt")),
                                  QStringLiteral("-noout"), QStringLiteral("-text")});
    QCOMPARE(text.exitCode, 0);
    const QString dump = QString::fromLatin1(text.out);
    QVERIFY2(dump.contains(QStringLiteral("CN = ") + serverId), qPrintable(dump));
    QVERIFY(dump.contains(QStringLiteral("O = Imprint CA")));
    QVERIFY(!dump.contains(QStringLiteral("CN = whatever")));
    QVERIFY(dump.contains(QStringLiteral("TLS Web Client Authentication")));
    QVERIFY(dump.contains(QStringLiteral("Digital Signature")));
    QVERIFY(dump.contains(QStringLiteral("URI:imprint://server/") + serverId));
    QVERIFY(dump.contains(QStringLiteral("ASN1 OID: prime256v1")));
    const auto verify = runOpenssl({QStringLiteral("verify"), QStringLiteral("-CAfile"), m_serve->caFile(),
                                    QStringLiteral("-purpose"), QStringLiteral("sslclient"),
                                    file(QStringLiteral("first.crt"))});
    QVERIFY2(verify.exitCode == 0, (verify.out + verify.err).constData());
}

void TestServiceEndToEnd::deviceEndpointNeedsCurrentCertificate()
{
    const QJsonObject enrolled = enroll(QStringLiteral("dev"), QStringLiteral("sha256:") + QString(64, QLatin1Char('d')));
    const QStringList mtls{QStringLiteral("--cert"), file(QStringLiteral("dev.crt")), QStringLiteral("--key"),
                           file(QStringLiteral("dev.key"))};
    const HttpResult result = curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"), {}, mtls);
    QCOMPARE(result.status, 200);
    const QJsonObject device = QJsonDocument::fromJson(result.body).object();
    QCOMPARE(device.value(QStringLiteral("server_id")).toString(), enrolled.value(QStringLiteral("server_id")).toString());
    QCOMPARE(device.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    QVERIFY2(result.headers.toLower().contains("x-imprint-cert-expires: "), (result.headers).constData());

    const HttpResult anonymous = curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"));
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(QJsonDocument::fromJson(anonymous.body).object().value(QStringLiteral("error")).toString(),
             QStringLiteral("unauthorized"));
}

void TestServiceEndToEnd::renewSupersedesOldCertificate()
{
    enroll(QStringLiteral("renewing"), QStringLiteral("sha256:") + QString(64, QLatin1Char('1')));
    const QStringList oldCredentials{QStringLiteral("--cert"), file(QStringLiteral("renewing.crt")),
                                     QStringLiteral("--key"), file(QStringLiteral("renewing.key"))};
    const QString csr = makeKeyAndCsr(QStringLiteral("renewed"), QStringLiteral("x"));
    const HttpResult renewed = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/renew"),
                                    QJsonDocument(QJsonObject{{QStringLiteral("csr"), csr}}).toJson(), oldCredentials);
    QCOMPARE(renewed.status, 200);
    QFile certificate(file(QStringLiteral("renewed.crt")));
    QVERIFY(certificate.open(QIODevice::WriteOnly));
    certificate.write(QJsonDocument::fromJson(renewed.body).object().value(QStringLiteral("certificate")).toString().toLatin1());
    certificate.close();

    QCOMPARE(curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"), {}, oldCredentials).status, 401);
    QCOMPARE(curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"), {},
                  {QStringLiteral("--cert"), file(QStringLiteral("renewed.crt")), QStringLiteral("--key"),
                   file(QStringLiteral("renewed.key"))})
                 .status,
             200);
    // Renewing again with the superseded certificate fails.
    QCOMPARE(curl(QStringLiteral("POST"), QStringLiteral("/api/v1/renew"),
                  QJsonDocument(QJsonObject{{QStringLiteral("csr"), csr}}).toJson(), oldCredentials)
                 .status,
             401);
}

void TestServiceEndToEnd::certificateOfAnotherCaRefusedAtTls()
{
    // A CA and client certificate made by openssl alone, with the same subject shape.
    const QString caKey = file(QStringLiteral("rogue-ca.key"));
    const QString caCrt = file(QStringLiteral("rogue-ca.crt"));
    QCOMPARE(runOpenssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                         QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                         QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), caCrt, QStringLiteral("-subj"),
                         QStringLiteral("/O=Imprint CA/CN=Imprint CA"), QStringLiteral("-days"), QStringLiteral("2")})
                 .exitCode,
             0);
    makeKeyAndCsr(QStringLiteral("rogue"), QStringLiteral("srv_00000000000000000000000000000000"));
    QFile ext(file(QStringLiteral("client.ext")));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write("extendedKeyUsage=clientAuth\n");
    ext.close();
    QCOMPARE(runOpenssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                         file(QStringLiteral("rogue.csr")), QStringLiteral("-CA"), caCrt, QStringLiteral("-CAkey"), caKey,
                         QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), file(QStringLiteral("rogue.crt")),
                         QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-extfile"), ext.fileName()})
                 .exitCode,
             0);
    const HttpResult result = curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"), {},
                                   {QStringLiteral("--cert"), file(QStringLiteral("rogue.crt")), QStringLiteral("--key"),
                                    file(QStringLiteral("rogue.key"))});
    // The handshake fails: curl reports a TLS or receive error and no HTTP status.
    QVERIFY2(result.curlExit != 0, qPrintable(QString::number(result.status)));
    QCOMPARE(result.status, 0);
}

void TestServiceEndToEnd::challengeRenewWithOpensslProof()
{
    const QString fingerprint = QStringLiteral("sha256:") + QString(64, QLatin1Char('2'));
    const QJsonObject enrolled = enroll(QStringLiteral("sleeper"), fingerprint);
    const QString serverId = enrolled.value(QStringLiteral("server_id")).toString();
    QFile expired(file(QStringLiteral("sleeper.crt")));
    QVERIFY(expired.open(QIODevice::ReadOnly));
    const QString expiredPem = QString::fromLatin1(expired.readAll());

    // Eleven days later the ten-day certificate has expired.
    m_serve->setClockOffsetSeconds(11 * 86400);
    const QString csr = makeKeyAndCsr(QStringLiteral("awake"), serverId);
    QFile message(file(QStringLiteral("proof-message")));
    QVERIFY(message.open(QIODevice::WriteOnly));
    message.write((serverId + QLatin1Char('\n') + fingerprint + QLatin1Char('\n') + csr).toUtf8());
    message.close();
    const auto signature = runOpenssl({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-sign"),
                                       file(QStringLiteral("sleeper.key")), message.fileName()});
    QCOMPARE(signature.exitCode, 0);
    QJsonObject request{{QStringLiteral("server_id"), serverId},
                        {QStringLiteral("fingerprint"), fingerprint},
                        {QStringLiteral("expired_cert"), expiredPem},
                        {QStringLiteral("csr"), csr},
                        {QStringLiteral("proof"), QString::fromLatin1(signature.out.toBase64())}};
    // A wrong fingerprint gets the same answer as every other failure.
    QJsonObject wrong = request;
    wrong[QStringLiteral("fingerprint")] = QStringLiteral("sha256:") + QString(64, QLatin1Char('3'));
    const HttpResult refused = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/renew/challenge"),
                                    QJsonDocument(wrong).toJson());
    QCOMPARE(refused.status, 401);
    QCOMPARE(QJsonDocument::fromJson(refused.body).object().value(QStringLiteral("error")).toString(),
             QStringLiteral("challenge renewal failed"));

    const HttpResult renewed = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/renew/challenge"),
                                    QJsonDocument(request).toJson());
    m_serve->setClockOffsetSeconds(0);
    QCOMPARE(renewed.status, 200);
    const QJsonObject response = QJsonDocument::fromJson(renewed.body).object();
    QCOMPARE(response.value(QStringLiteral("server_id")).toString(), serverId);
}

void TestServiceEndToEnd::revokedDeviceRefused()
{
    const QString fingerprint = QStringLiteral("sha256:") + QString(64, QLatin1Char('4'));
    const QString serverId = enroll(QStringLiteral("stolen"), fingerprint).value(QStringLiteral("server_id")).toString();
    const auto revoked = runImprint({QStringLiteral("devices"), QStringLiteral("revoke"), serverId, QStringLiteral("--db"),
                                     m_serve->databaseUrl(), QStringLiteral("--reason"), QStringLiteral("stolen")});
    QVERIFY2(revoked.exitCode == 0, (revoked.err).constData());
    QCOMPARE(curl(QStringLiteral("GET"), QStringLiteral("/api/v1/device"), {},
                  {QStringLiteral("--cert"), file(QStringLiteral("stolen.crt")), QStringLiteral("--key"),
                   file(QStringLiteral("stolen.key"))})
                 .status,
             401);
    const QString csr = makeKeyAndCsr(QStringLiteral("stolen-again"), QStringLiteral("x"));
    const QJsonObject request{{QStringLiteral("build_secret"), QStringLiteral("test-build-secret")},
                              {QStringLiteral("fingerprint"), fingerprint},
                              {QStringLiteral("csr"), csr}};
    const HttpResult again = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/enroll"), QJsonDocument(request).toJson());
    QCOMPARE(again.status, 403);
    QVERIFY(QJsonDocument::fromJson(again.body).object().value(QStringLiteral("error")).toString().contains(
        QStringLiteral("revoked")));
}

void TestServiceEndToEnd::errorAnswers_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown path") << "GET" << "/nowhere" << QByteArray() << 404 << "not found";
    QTest::newRow("wrong method") << "GET" << "/api/v1/enroll" << QByteArray() << 405 << "method not allowed";
    QTest::newRow("malformed JSON") << "POST" << "/api/v1/enroll" << QByteArray("{\"build_secret\":") << 400 << "";
    QTest::newRow("missing field") << "POST" << "/api/v1/enroll" << QByteArray("{\"build_secret\":\"x\"}") << 400
                                   << "missing required field \"fingerprint\"";
    QTest::newRow("wrong secret")
        << "POST" << "/api/v1/enroll"
        << QByteArray("{\"build_secret\":\"nope\",\"fingerprint\":\"sha256:ab\",\"csr\":\"x\"}") << 401
        << "unknown build secret";
}

void TestServiceEndToEnd::errorAnswers()
{
    QFETCH(QString, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const HttpResult result = curl(method, path, body);
    QCOMPARE(result.status, status);
    const QJsonObject object = QJsonDocument::fromJson(result.body).object();
    QVERIFY2(object.contains(QStringLiteral("error")), (result.body).constData());
    if (!error.isEmpty())
        QCOMPARE(object.value(QStringLiteral("error")).toString(), error);
    if (status == 405)
        QVERIFY2(result.headers.contains("Allow: POST"), (result.headers).constData());
}

void TestServiceEndToEnd::oversizedBodyAnswered413()
{
    const QByteArray big(2 * 1024 * 1024, 'x');
    const HttpResult result = curl(QStringLiteral("POST"), QStringLiteral("/api/v1/enroll"), big);
    QCOMPARE(result.status, 413);
}

void TestServiceEndToEnd::oversizedHeadersAnswered431()
{
    const HttpResult result = curl(QStringLiteral("GET"), QStringLiteral("/healthz"), {},
                                   {QStringLiteral("-H"), QStringLiteral("X-Padding: ") + QString(9 * 1024, QLatin1Char('p'))});
    QCOMPARE(result.status, 431);
}

void TestServiceEndToEnd::idleConnectionClosed()
{
    QSslSocket socket;
    QSslConfiguration configuration = socket.sslConfiguration();
    QFile ca(m_serve->caFile());
    QVERIFY(ca.open(QIODevice::ReadOnly));
    configuration.setCaCertificates(QSslCertificate::fromData(ca.readAll()));
    socket.setSslConfiguration(configuration);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_serve->port(), QStringLiteral("localhost"));
    QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
    // The service was started with --idle-timeout 2s; it must hang up by itself.
    QVERIFY(socket.waitForDisconnected(15000) || socket.state() == QAbstractSocket::UnconnectedState);
}

void TestServiceEndToEnd::sigtermStopsCleanly()
{
    QCOMPARE(m_serve->stop(), 0);
    // The transport stopped, then the service (after its last flush of last-seen times).
    QVERIFY2(m_serve->output().contains(QStringLiteral("event=stopped")), qPrintable(m_serve->output()));
    QVERIFY2(m_serve->output().contains(QStringLiteral("event=service_stopped")), qPrintable(m_serve->output()));
    m_serve.reset();
}

QTEST_GUILESS_MAIN(TestServiceEndToEnd)
#include "tst_service_e2e.moc"
