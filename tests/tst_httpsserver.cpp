#include "service/httpsserver.h"
#include "common/clock.h"
#include "service/tlscontext.h"
#include "support/testing.h"
#include "support/tlstestclient.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/x509.h>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <memory>
#include <set>
#include <thread>

using namespace imprint;
using namespace imprint::service;
using imprint::testing::HttpTestResponse;
using imprint::testing::runOpenssl;
using imprint::testing::runProcess;
using imprint::testing::TlsTestClient;
using namespace std::chrono_literals;

namespace {

// The subject CN of the peer certificate, read with OpenSSL directly rather than through
// crypto::Certificate.
QString commonName(const std::shared_ptr<const imprint::crypto::Certificate> &peer)
{
    if (!peer || !peer->get())
        return {};
    X509_NAME *subject = X509_get_subject_name(peer->get());
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index < 0)
        return {};
    const ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    return QString::fromUtf8(reinterpret_cast<const char *>(ASN1_STRING_get0_data(value)), ASN1_STRING_length(value));
}

// Access-log lines captured by the message handler (they come from the io threads).
QMutex g_logMutex;
QStringList g_accessLines;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "imprint.access") == 0) {
        QMutexLocker lock(&g_logMutex);
        g_accessLines << message;
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList accessLinesContaining(const QString &needle)
{
    QMutexLocker lock(&g_logMutex);
    QStringList lines;
    for (const QString &line : std::as_const(g_accessLines)) {
        if (line.contains(needle))
            lines << line;
    }
    return lines;
}

QByteArray get(const QByteArray &path, const QByteArray &extraHeaders = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

QJsonObject json(const HttpTestResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace

class TestHttpsServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void tlsContextRejectsBadInput();
    void startReportsAddressInUse();
    void curlWithoutClientCertificate();
    void curlWithClientCertificate();
    void curlWithForeignClientCertificateFails();
    void tls11Refused();
    void clientCaListAdvertised();
    void bodyOverLimitByContentLength();
    void bodyOverLimitChunked();
    void bodyAtLimitAccepted_data();
    void bodyAtLimitAccepted();
    void expectContinue();
    void headerOverLimit();
    void malformedRequest_data();
    void malformedRequest();
    void keepAlive();
    void pipelinedRequests();
    void http10AndConnectionClose();
    void headRequest();
    void handlerErrorsBecome500();
    void idleConnectionClosed();
    void slowlorisClosed();
    void gracefulStop();
    void tlsContextSwap();
    void sessionResumptionKeepsPeerCertificate_data();
    void sessionResumptionKeepsPeerCertificate();
    void sessionNotResumedAfterClientCertificateExpired();
    void sessionNotResumedAfterLifetime();
    void sessionCacheDropsOldestBeyondCapacity();
    void accessLog();
    void connectionLimit();
    void manyConcurrentClients();
    void runUntilSignalledStopsOnSigterm();
    void runUntilSignalledReturnsAfterStop();
    void signalBeforeRunIsNotLost();
    void stopFromHandler();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void issue(const QString &name, const QString &subject, const QString &ca, const QString &serial,
               const QByteArray &extensions);
    std::shared_ptr<TlsContext> context(const QString &serverName);
    // The "server" context, its TLS sessions judged by `clock` with the given lifetime.
    std::shared_ptr<TlsContext> contextWithSessionClock(const Clock &clock, long lifetimeSeconds,
                                                        std::size_t capacity = 20000);
    std::unique_ptr<HttpsServer> startServer(HttpsServerConfig config, std::shared_ptr<TlsContext> tls = {});
    HttpResponse handle(const HttpRequest &request);
    QStringList curlArguments(quint16 port, const QString &urlPath) const;
    testing::ProcessResult sClient(quint16 port, const QStringList &extra, const QByteArray &input = {}) const;

    QTemporaryDir m_dir;
    std::shared_ptr<TlsContext> m_tls;
    std::unique_ptr<HttpsServer> m_server; // default configuration, shared by most tests
    std::atomic<int> m_handled{0};
    QMutex m_threadsMutex;
    std::set<std::thread::id> m_handlerThreads;
};

void TestHttpsServer::issue(const QString &name, const QString &subject, const QString &ca, const QString &serial,
                            const QByteArray &extensions)
{
    QFile ext(path(name + QStringLiteral(".ext")));
    QVERIFY(ext.open(QIODevice::WriteOnly));
    ext.write(extensions);
    ext.close();
    auto result = runOpenssl({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                              QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                              QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                              QStringLiteral("-keyout"), path(name + QStringLiteral(".key")), QStringLiteral("-out"),
                              path(name + QStringLiteral(".csr")), QStringLiteral("-subj"), subject});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = runOpenssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                         path(name + QStringLiteral(".csr")), QStringLiteral("-CA"), path(ca + QStringLiteral(".crt")),
                         QStringLiteral("-CAkey"), path(ca + QStringLiteral(".key")), QStringLiteral("-set_serial"),
                         serial, QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"),
                         path(name + QStringLiteral(".ext")), QStringLiteral("-out"),
                         path(name + QStringLiteral(".crt"))});
    QVERIFY2(result.exitCode == 0, result.err.constData());
}

std::shared_ptr<TlsContext> TestHttpsServer::context(const QString &serverName)
{
    // The chain file holds the leaf and the CA, as the service deploys it.
    QFile chain(path(serverName + QStringLiteral("-chain.crt")));
    if (!chain.exists()) {
        QFile leaf(path(serverName + QStringLiteral(".crt")));
        QFile ca(path(QStringLiteral("ca.crt")));
        if (!chain.open(QIODevice::WriteOnly) || !leaf.open(QIODevice::ReadOnly) || !ca.open(QIODevice::ReadOnly))
            return {};
        chain.write(leaf.readAll() + ca.readAll());
        chain.close();
    }
    auto tls = TlsContext::fromFiles(chain.fileName(), path(serverName + QStringLiteral(".key")),
                                     path(QStringLiteral("ca.crt")));
    if (!tls) {
        qWarning() << tls.errorMessage();
        return {};
    }
    return tls.value();
}

std::shared_ptr<TlsContext> TestHttpsServer::contextWithSessionClock(const Clock &clock, long lifetimeSeconds,
                                                                    std::size_t capacity)
{
    if (!context(QStringLiteral("server"))) // writes server-chain.crt
        return {};
    const auto file = [this](const QString &name) {
        QFile in(path(name));
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    };
    TlsSessionSettings settings;
    settings.clock = &clock;
    settings.lifetimeSeconds = lifetimeSeconds;
    settings.capacity = capacity;
    auto tls = TlsContext::fromPem(file(QStringLiteral("server-chain.crt")), file(QStringLiteral("server.key")),
                                   file(QStringLiteral("ca.crt")), settings);
    if (!tls) {
        qWarning() << tls.errorMessage();
        return {};
    }
    return tls.value();
}

HttpResponse TestHttpsServer::handle(const HttpRequest &request)
{
    ++m_handled;
    {
        QMutexLocker lock(&m_threadsMutex);
        m_handlerThreads.insert(std::this_thread::get_id());
    }
    if (request.target == "/slow")
        std::this_thread::sleep_for(500ms);
    if (request.target == "/concurrent")
        std::this_thread::sleep_for(20ms);
    if (request.target == "/throw")
        throw std::runtime_error("handler failure");
    if (request.target == "/bad-status")
        return HttpResponse{42, "application/json", "{}", {}, {}};
    HttpResponse response;
    response.serverId = QStringLiteral("srv_test");
    if (request.target == "/headers") {
        response.headers = {{"Allow", "POST"}, {"X-Bad", "a\r\nInjected: yes"}, {"Connection", "close"}};
    }
    QJsonObject echo{
        {QStringLiteral("method"), QString::fromLatin1(request.method)},
        {QStringLiteral("path"), QString::fromLatin1(request.target)},
        {QStringLiteral("query"), QString::fromLatin1(request.query)},
        {QStringLiteral("content_type"), QString::fromLatin1(request.contentType)},
        {QStringLiteral("body_size"), request.body.size()},
        {QStringLiteral("remote"), request.remoteAddress},
        {QStringLiteral("peer"), request.peerCertificate != nullptr},
        {QStringLiteral("cn"), commonName(request.peerCertificate)},
    };
    response.body = QJsonDocument(echo).toJson(QJsonDocument::Compact);
    return response;
}

std::unique_ptr<HttpsServer> TestHttpsServer::startServer(HttpsServerConfig config, std::shared_ptr<TlsContext> tls)
{
    config.port = 0;
    config.host = QStringLiteral("127.0.0.1");
    if (config.threads == 0)
        config.threads = 2;
    auto server = std::make_unique<HttpsServer>(config, tls ? tls : m_tls,
                                                [this](const HttpRequest &request) { return handle(request); });
    const Status started = server->start();
    if (!started) {
        qWarning() << started.errorMessage();
        return {};
    }
    return server;
}

QStringList TestHttpsServer::curlArguments(quint16 port, const QString &urlPath) const
{
    return {QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("20"), QStringLiteral("--cacert"),
            path(QStringLiteral("ca.crt")),
            QStringLiteral("https://127.0.0.1:%1%2").arg(port).arg(urlPath)};
}

testing::ProcessResult TestHttpsServer::sClient(quint16 port, const QStringList &extra, const QByteArray &input) const
{
    QStringList arguments{QStringLiteral("s_client"), QStringLiteral("-connect"),
                          QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-CAfile"),
                          path(QStringLiteral("ca.crt"))};
    return runOpenssl(arguments + extra, input);
}

void TestHttpsServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    g_previousHandler = qInstallMessageHandler(captureMessages);
    const auto ca = [this](const QString &name, const QString &subject) {
        return runOpenssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                           QStringLiteral("ec"), QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                           QStringLiteral("-nodes"), QStringLiteral("-keyout"), path(name + QStringLiteral(".key")),
                           QStringLiteral("-out"), path(name + QStringLiteral(".crt")), QStringLiteral("-days"),
                           QStringLiteral("2"), QStringLiteral("-subj"), subject, QStringLiteral("-addext"),
                           QStringLiteral("basicConstraints=critical,CA:TRUE"), QStringLiteral("-addext"),
                           QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")});
    };
    auto result = ca(QStringLiteral("ca"), QStringLiteral("/O=Imprint Test/CN=Imprint Test CA"));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    result = ca(QStringLiteral("otherca"), QStringLiteral("/O=Other/CN=Other CA"));
    QVERIFY2(result.exitCode == 0, result.err.constData());

    const QByteArray serverExt = "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
                                 "keyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n";
    const QByteArray clientExt = "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n"
                                 "basicConstraints=CA:FALSE\n";
    issue(QStringLiteral("server"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("ca"), QStringLiteral("0x1001"),
          serverExt);
    issue(QStringLiteral("server2"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("ca"), QStringLiteral("0x2002"),
          serverExt);
    issue(QStringLiteral("client"), QStringLiteral("/O=Imprint Test/CN=srv_client1"), QStringLiteral("ca"),
          QStringLiteral("0x3003"), clientExt);
    issue(QStringLiteral("foreign"), QStringLiteral("/O=Other/CN=srv_intruder"), QStringLiteral("otherca"),
          QStringLiteral("0x4004"), clientExt);

    m_tls = context(QStringLiteral("server"));
    QVERIFY(m_tls);
    QCOMPARE(m_tls->certificateSerial(), QStringLiteral("1001"));
    QVERIFY(m_tls->certificateNotAfter() > QDateTime::currentDateTimeUtc());
    m_server = startServer({});
    QVERIFY(m_server);
    QVERIFY(m_server->port() != 0);
    QVERIFY(m_server->isRunning());
}

void TestHttpsServer::cleanupTestCase()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
    qInstallMessageHandler(g_previousHandler);
}

void TestHttpsServer::tlsContextRejectsBadInput()
{
    QFile certFile(path(QStringLiteral("server.crt")));
    QFile keyFile(path(QStringLiteral("server.key")));
    QFile otherKeyFile(path(QStringLiteral("server2.key")));
    QFile caFile(path(QStringLiteral("ca.crt")));
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly)
            && otherKeyFile.open(QIODevice::ReadOnly) && caFile.open(QIODevice::ReadOnly));
    const QByteArray cert = certFile.readAll(), key = keyFile.readAll(), otherKey = otherKeyFile.readAll(),
                     ca = caFile.readAll();
    QVERIFY(TlsContext::fromPem(cert, key, ca).ok());

    auto mismatch = TlsContext::fromPem(cert, otherKey, ca);
    QVERIFY(!mismatch.ok());
    QVERIFY2(mismatch.errorMessage().contains(QStringLiteral("does not match")), qPrintable(mismatch.errorMessage()));

    auto noCert = TlsContext::fromPem("garbage", key, ca);
    QVERIFY(!noCert.ok());
    QVERIFY2(noCert.errorMessage().contains(QStringLiteral("server certificate")), qPrintable(noCert.errorMessage()));

    auto badCa = TlsContext::fromPem(cert, key, key);
    QVERIFY(!badCa.ok());
    QVERIFY2(badCa.errorMessage().contains(QStringLiteral("client CA")), qPrintable(badCa.errorMessage()));

    // An encrypted key is refused, never prompted for on the terminal.
    const auto encrypted = runOpenssl({QStringLiteral("pkey"), QStringLiteral("-in"), path(QStringLiteral("server.key")),
                                       QStringLiteral("-aes256"), QStringLiteral("-passout"), QStringLiteral("pass:x")});
    QCOMPARE(encrypted.exitCode, 0);
    auto locked = TlsContext::fromPem(cert, encrypted.out, ca);
    QVERIFY(!locked.ok());
    QVERIFY2(locked.errorMessage().contains(QStringLiteral("private key")), qPrintable(locked.errorMessage()));

    auto missing = TlsContext::fromFiles(path(QStringLiteral("missing.crt")), path(QStringLiteral("server.key")), {});
    QVERIFY(!missing.ok());
    QVERIFY2(missing.errorMessage().contains(QStringLiteral("missing.crt")), qPrintable(missing.errorMessage()));
}

void TestHttpsServer::startReportsAddressInUse()
{
    HttpsServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = m_server->port();
    config.threads = 1;
    HttpsServer second(config, m_tls, [](const HttpRequest &) { return HttpResponse{}; });
    const Status status = second.start();
    QVERIFY(!status.ok());
    QVERIFY2(status.errorMessage().contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())),
             qPrintable(status.errorMessage()));
    QVERIFY2(status.errorMessage().contains(QStringLiteral("in use")), qPrintable(status.errorMessage()));
    QVERIFY(!second.isRunning());

    HttpsServer noHandler(HttpsServerConfig{}, m_tls, Handler{});
    QVERIFY(!noHandler.start().ok());
}

void TestHttpsServer::curlWithoutClientCertificate()
{
    const int before = m_handled;
    const auto result = runProcess(QStringLiteral("curl"), curlArguments(m_server->port(), QStringLiteral("/x?a=1&b=2")));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject echo = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(echo.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
    QCOMPARE(echo.value(QStringLiteral("path")).toString(), QStringLiteral("/x"));
    QCOMPARE(echo.value(QStringLiteral("query")).toString(), QStringLiteral("a=1&b=2"));
    QCOMPARE(echo.value(QStringLiteral("remote")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(echo.value(QStringLiteral("peer")).toBool(), false);
    QCOMPARE(m_handled - before, 1);
}

void TestHttpsServer::curlWithClientCertificate()
{
    const auto result = runProcess(QStringLiteral("curl"),
                                   curlArguments(m_server->port(), QStringLiteral("/mtls"))
                                       << QStringLiteral("--cert") << path(QStringLiteral("client.crt"))
                                       << QStringLiteral("--key") << path(QStringLiteral("client.key"))
                                       << QStringLiteral("-X") << QStringLiteral("POST") << QStringLiteral("-H")
                                       << QStringLiteral("Content-Type: application/json")
                                       << QStringLiteral("--data-binary") << QStringLiteral("{\"csr\":\"x\"}"));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject echo = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(echo.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(echo.value(QStringLiteral("content_type")).toString(), QStringLiteral("application/json"));
    QCOMPARE(echo.value(QStringLiteral("body_size")).toInt(), 11);
    QCOMPARE(echo.value(QStringLiteral("peer")).toBool(), true);
    QCOMPARE(echo.value(QStringLiteral("cn")).toString(), QStringLiteral("srv_client1"));
}

void TestHttpsServer::curlWithForeignClientCertificateFails()
{
    for (const QString &tls : {QStringLiteral("--tlsv1.3"), QStringLiteral("--tls-max")}) {
        const int before = m_handled;
        QStringList arguments = curlArguments(m_server->port(), QStringLiteral("/foreign"))
                                << QStringLiteral("--cert") << path(QStringLiteral("foreign.crt"))
                                << QStringLiteral("--key") << path(QStringLiteral("foreign.key")) << tls;
        if (tls == QStringLiteral("--tls-max"))
            arguments << QStringLiteral("1.2");
        const auto result = runProcess(QStringLiteral("curl"), arguments);
        QVERIFY2(result.exitCode != 0, result.out.constData());
        QVERIFY2(result.err.contains("alert") || result.err.contains("SSL"), result.err.constData());
        QCOMPARE(m_handled - before, 0);
    }
}

void TestHttpsServer::tls11Refused()
{
    // The client side is allowed to speak TLS 1.1 (security level 0), so that a failure is the
    // server's refusal and not the client's own policy.
    const auto refused = sClient(m_server->port(), {QStringLiteral("-tls1_1"), QStringLiteral("-cipher"),
                                                    QStringLiteral("DEFAULT@SECLEVEL=0")});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("protocol version") || refused.err.contains("unsupported protocol"),
             refused.err.constData());

    const auto tls12 = sClient(m_server->port(), {QStringLiteral("-tls1_2")});
    QVERIFY2(tls12.exitCode == 0, tls12.err.constData());
    QVERIFY2(tls12.out.contains("Protocol  : TLSv1.2"), tls12.out.constData());
    QVERIFY2(tls12.out.contains("Verify return code: 0 (ok)"), tls12.out.constData());
    QVERIFY2(tls12.out.contains("ECDHE"), tls12.out.constData());
}

void TestHttpsServer::clientCaListAdvertised()
{
    for (const QString &version : {QStringLiteral("-tls1_3"), QStringLiteral("-tls1_2")}) {
        const auto result = sClient(m_server->port(), {version});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const qsizetype at = result.out.indexOf("Acceptable client certificate CA names");
        QVERIFY2(at >= 0, result.out.constData());
        const QByteArray names = result.out.mid(at).split('\n').value(1);
        QCOMPARE(names.trimmed(), QByteArray("O = Imprint Test, CN = Imprint Test CA"));
    }
}

void TestHttpsServer::bodyOverLimitByContentLength()
{
    const int before = m_handled;
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    // Headers only: the 413 must come without the body ever being sent.
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: 2097152\r\n\r\n"));
    const auto response = client.readResponse();
    QVERIFY2(response, qPrintable(client.errorString()));
    QCOMPARE(response->status, 413);
    QCOMPARE(json(*response).value(QStringLiteral("error")).toString(), QStringLiteral("request body too large"));
    QCOMPARE(response->header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(response->header("Connection").toLower(), QByteArray("close"));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_handled - before, 0);
}

void TestHttpsServer::bodyOverLimitChunked()
{
    const int before = m_handled;
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    QVERIFY(client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const QByteArray chunk = "10000\r\n" + QByteArray(0x10000, 'a') + "\r\n";
    // 20 x 64 KiB = 1.25 MiB; the server gives up after 1 MiB and closes, so stop writing then.
    for (int i = 0; i < 20 && client.isConnected(); ++i) {
        if (!client.send(chunk))
            break;
    }
    const auto response = client.readResponse();
    QVERIFY2(response, qPrintable(client.errorString()));
    QCOMPARE(response->status, 413);
    QCOMPARE(response->header("Connection").toLower(), QByteArray("close"));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_handled - before, 0);
}

void TestHttpsServer::bodyAtLimitAccepted_data()
{
    QTest::addColumn<bool>("chunked");
    QTest::newRow("content-length") << false;
    QTest::newRow("chunked") << true;
}

void TestHttpsServer::bodyAtLimitAccepted()
{
    QFETCH(bool, chunked);
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    const QByteArray body(1 << 20, 'b');
    QByteArray request = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n";
    if (chunked) {
        request += "Transfer-Encoding: chunked\r\n\r\n";
        for (int i = 0; i < 16; ++i)
            request += "10000\r\n" + body.mid(i * 0x10000, 0x10000) + "\r\n";
        request += "0\r\n\r\n";
    } else {
        request += "Content-Length: 1048576\r\n\r\n" + body;
    }
    const auto response = client.request(request);
    QVERIFY2(response, qPrintable(client.errorString()));
    QCOMPARE(response->status, 200);
    QCOMPARE(json(*response).value(QStringLiteral("body_size")).toInt(), 1 << 20);
    // Still usable afterwards.
    const auto next = client.request(get("/after"));
    QVERIFY(next);
    QCOMPARE(next->status, 200);
}

void TestHttpsServer::expectContinue()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    QVERIFY(client.send("POST /continue HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                        "Expect: 100-continue\r\n\r\n"));
    const auto interim = client.readResponse();
    QVERIFY2(interim, qPrintable(client.errorString()));
    QCOMPARE(interim->status, 100);
    QVERIFY(client.send("hello"));
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(json(*response).value(QStringLiteral("body_size")).toInt(), 5);

    // Over the limit: 413 straight away, no 100 Continue.
    QVERIFY(client.send("POST /continue HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\n"
                        "Expect: 100-continue\r\n\r\n"));
    const auto refused = client.readResponse();
    QVERIFY(refused);
    QCOMPARE(refused->status, 413);
}

void TestHttpsServer::headerOverLimit()
{
    const int before = m_handled;
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    const auto response = client.request(get("/big", "X-Pad: " + QByteArray(9 * 1024, 'p') + "\r\n"));
    QVERIFY2(response, qPrintable(client.errorString()));
    QCOMPARE(response->status, 431);
    QCOMPARE(json(*response).value(QStringLiteral("error")).toString(),
             QStringLiteral("request header fields too large"));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_handled - before, 0);

    // Just under the limit is fine.
    TlsTestClient ok(path(QStringLiteral("ca.crt")));
    QVERIFY(ok.connectTo(m_server->port()));
    const auto accepted = ok.request(get("/big", "X-Pad: " + QByteArray(7 * 1024, 'p') + "\r\n"));
    QVERIFY(accepted);
    QCOMPARE(accepted->status, 200);
}

void TestHttpsServer::malformedRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("garbage request line") << QByteArray("GARBAGE\r\n\r\n");
    QTest::newRow("bad version") << QByteArray("GET / HTTP/9\r\nHost: a\r\n\r\n");
    QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n");
    QTest::newRow("bad content-length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n");
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n");
}

void TestHttpsServer::malformedRequest()
{
    QFETCH(QByteArray, request);
    const int before = m_handled;
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    const auto response = client.request(request);
    QVERIFY2(response, qPrintable(client.errorString()));
    QCOMPARE(response->status, 400);
    QVERIFY(json(*response).contains(QStringLiteral("error")));
    QVERIFY(client.waitForDisconnected(5000));
    QCOMPARE(m_handled - before, 0);
}

void TestHttpsServer::keepAlive()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    for (const QByteArray &target : {QByteArray("/first"), QByteArray("/second")}) {
        const auto response = client.request(get(target));
        QVERIFY2(response, qPrintable(client.errorString()));
        QCOMPARE(response->status, 200);
        QCOMPARE(response->statusLine, QByteArray("HTTP/1.1 200 OK"));
        QCOMPARE(json(*response).value(QStringLiteral("path")).toString(), QString::fromLatin1(target));
        QCOMPARE(response->header("Server"), QByteArray("imprint"));
        QCOMPARE(response->header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(response->header("Content-Length").toInt(), response->body.size());
        QVERIFY(!response->hasHeader("Connection"));
        QVERIFY(client.isConnected());
    }
}

void TestHttpsServer::pipelinedRequests()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    QVERIFY(client.send(get("/one") + get("/two")));
    const auto first = client.readResponse();
    const auto second = client.readResponse();
    QVERIFY(first && second);
    QCOMPARE(json(*first).value(QStringLiteral("path")).toString(), QStringLiteral("/one"));
    QCOMPARE(json(*second).value(QStringLiteral("path")).toString(), QStringLiteral("/two"));
}

void TestHttpsServer::http10AndConnectionClose()
{
    TlsTestClient old(path(QStringLiteral("ca.crt")));
    QVERIFY(old.connectTo(m_server->port()));
    const auto response10 = old.request("GET /old HTTP/1.0\r\n\r\n");
    QVERIFY2(response10, qPrintable(old.errorString()));
    QVERIFY2(response10->statusLine.startsWith("HTTP/1.0 200"), response10->statusLine.constData());
    QCOMPARE(json(*response10).value(QStringLiteral("path")).toString(), QStringLiteral("/old"));
    QVERIFY(old.waitForDisconnected(5000));

    TlsTestClient closing(path(QStringLiteral("ca.crt")));
    QVERIFY(closing.connectTo(m_server->port()));
    const auto response = closing.request(get("/bye", "Connection: close\r\n"));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("Connection").toLower(), QByteArray("close"));
    QVERIFY(closing.waitForDisconnected(5000));

    // The handler can close too, and its headers are passed on (unsafe ones dropped).
    TlsTestClient handlerClose(path(QStringLiteral("ca.crt")));
    QVERIFY(handlerClose.connectTo(m_server->port()));
    const auto fromHandler = handlerClose.request(get("/headers"));
    QVERIFY(fromHandler);
    QCOMPARE(fromHandler->header("Allow"), QByteArray("POST"));
    QVERIFY(!fromHandler->hasHeader("X-Bad"));
    QVERIFY(!fromHandler->hasHeader("Injected"));
    QCOMPARE(fromHandler->header("Connection").toLower(), QByteArray("close"));
    QVERIFY(handlerClose.waitForDisconnected(5000));
}

void TestHttpsServer::headRequest()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY(client.connectTo(m_server->port()));
    QVERIFY(client.send("HEAD /head HTTP/1.1\r\nHost: a\r\n\r\n"));
    const auto head = client.readResponse(10000, true);
    QVERIFY(head);
    QCOMPARE(head->status, 200);
    QVERIFY(head->header("Content-Length").toInt() > 0);
    // No body followed: the next response parses cleanly on the same connection.
    const auto next = client.request(get("/after-head"));
    QVERIFY2(next, qPrintable(client.errorString()));
    QCOMPARE(json(*next).value(QStringLiteral("path")).toString(), QStringLiteral("/after-head"));
}

void TestHttpsServer::handlerErrorsBecome500()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY(client.connectTo(m_server->port()));
    for (const QByteArray &target : {QByteArray("/throw"), QByteArray("/bad-status")}) {
        const auto response = client.request(get(target));
        QVERIFY2(response, qPrintable(client.errorString()));
        QCOMPARE(response->status, 500);
        QCOMPARE(json(*response).value(QStringLiteral("error")).toString(), QStringLiteral("internal error"));
    }
    const auto after = client.request(get("/fine"));
    QVERIFY(after);
    QCOMPARE(after->status, 200);
}

void TestHttpsServer::idleConnectionClosed()
{
    HttpsServerConfig config;
    config.idleTimeout = 1s;
    auto server = startServer(config);
    QVERIFY(server);
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY(client.connectTo(server->port()));
    QElapsedTimer timer;
    timer.start();
    QVERIFY(client.waitForDisconnected(5000));
    QVERIFY2(timer.elapsed() >= 800, qPrintable(QString::number(timer.elapsed())));

    // Also after a response: the keep-alive connection is closed when idle.
    TlsTestClient second(path(QStringLiteral("ca.crt")));
    QVERIFY(second.connectTo(server->port()));
    QVERIFY(second.request(get("/once")));
    timer.restart();
    QVERIFY(second.waitForDisconnected(5000));
    QVERIFY(timer.elapsed() >= 800);
}

void TestHttpsServer::slowlorisClosed()
{
    HttpsServerConfig config;
    config.idleTimeout = 1s;
    auto server = startServer(config);
    QVERIFY(server);
    const int before = m_handled;
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY(client.connectTo(server->port()));
    const QByteArray request = get("/slow-headers", "X-Trickle: " + QByteArray(40, 't') + "\r\n");
    QElapsedTimer timer;
    timer.start();
    bool closed = false;
    // One byte every 300 ms keeps the connection busy but never completes the request.
    for (const char c : request) {
        if (!client.isConnected()) {
            closed = true;
            break;
        }
        client.send(QByteArray(1, c), 1000);
        if (client.waitForDisconnected(300)) {
            closed = true;
            break;
        }
    }
    QVERIFY(closed);
    QVERIFY2(timer.elapsed() < 4000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_handled - before, 0);
}

void TestHttpsServer::gracefulStop()
{
    auto server = startServer({});
    QVERIFY(server);
    const quint16 port = server->port();
    TlsTestClient idle(path(QStringLiteral("ca.crt")));
    QVERIFY(idle.connectTo(port));
    TlsTestClient busy(path(QStringLiteral("ca.crt")));
    QVERIFY(busy.connectTo(port));
    QVERIFY(busy.send(get("/slow")));

    QElapsedTimer timer;
    timer.start();
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        std::this_thread::sleep_for(100ms);
        server->stop();
        stopped = true;
    });
    const auto response = busy.readResponse(5000);
    stopper.join();
    QVERIFY2(response, qPrintable(busy.errorString()));
    QCOMPARE(response->status, 200);
    QCOMPARE(json(*response).value(QStringLiteral("path")).toString(), QStringLiteral("/slow"));
    QCOMPARE(response->header("Connection").toLower(), QByteArray("close"));
    QVERIFY(stopped);
    QVERIFY(!server->isRunning());
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(idle.waitForDisconnected(2000));
    QVERIFY(busy.waitForDisconnected(2000));

    TlsTestClient late(path(QStringLiteral("ca.crt")));
    QVERIFY(!late.connectTo(port, 3000));
    server->stop(); // idempotent
}

void TestHttpsServer::tlsContextSwap()
{
    auto server = startServer({}, context(QStringLiteral("server")));
    QVERIFY(server);
    const QByteArray serial1 = QSslCertificate::fromPath(path(QStringLiteral("server.crt"))).value(0).serialNumber();
    const QByteArray serial2 = QSslCertificate::fromPath(path(QStringLiteral("server2.crt"))).value(0).serialNumber();
    QVERIFY(!serial1.isEmpty() && serial1 != serial2);

    TlsTestClient before(path(QStringLiteral("ca.crt")));
    QVERIFY(before.connectTo(server->port()));
    QCOMPARE(before.socket().peerCertificate().serialNumber(), serial1);
    QVERIFY(before.request(get("/before")));
    // A session from the old context, to resume after the swap.
    const QString session = path(QStringLiteral("swap-session.pem"));
    const auto first = sClient(server->port(), {QStringLiteral("-sess_out"), session, QStringLiteral("-ign_eof")},
                               get("/s", "Connection: close\r\n"));
    QVERIFY2(first.out.contains("New, TLSv1.3"), first.out.constData());

    auto renewed = context(QStringLiteral("server2"));
    QVERIFY(renewed);
    server->setTlsContext(renewed);
    QCOMPARE(server->tlsContext(), renewed);

    TlsTestClient after(path(QStringLiteral("ca.crt")));
    QVERIFY(after.connectTo(server->port()));
    QCOMPARE(after.socket().peerCertificate().serialNumber(), serial2);
    const auto afterResponse = after.request(get("/after"));
    QVERIFY(afterResponse);
    QCOMPARE(afterResponse->status, 200);

    // The existing keep-alive connection keeps working on its old certificate.
    const auto still = before.request(get("/still"));
    QVERIFY2(still, qPrintable(before.errorString()));
    QCOMPARE(still->status, 200);
    QCOMPARE(before.socket().peerCertificate().serialNumber(), serial1);

    // Tickets survive the renewal (same client CA): no full handshake for every device.
    const auto resumed = sClient(server->port(), {QStringLiteral("-sess_in"), session, QStringLiteral("-ign_eof")},
                                 get("/s", "Connection: close\r\n"));
    QVERIFY2(resumed.out.contains("Reused, TLSv1.3"), resumed.out.constData());
}

void TestHttpsServer::sessionResumptionKeepsPeerCertificate_data()
{
    QTest::addColumn<QString>("version");
    QTest::newRow("TLS 1.3") << QStringLiteral("-tls1_3");
    QTest::newRow("TLS 1.2") << QStringLiteral("-tls1_2");
}

void TestHttpsServer::sessionResumptionKeepsPeerCertificate()
{
    QFETCH(QString, version);
    const QString session = path(QStringLiteral("session%1.pem").arg(version));
    const QByteArray request = get("/resume", "Connection: close\r\n");
    const auto first = sClient(m_server->port(),
                               {version, QStringLiteral("-cert"), path(QStringLiteral("client.crt")),
                                QStringLiteral("-key"), path(QStringLiteral("client.key")), QStringLiteral("-sess_out"),
                                session, QStringLiteral("-ign_eof")},
                               request);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QVERIFY2(first.out.contains("New, TLSv1."), first.out.constData());
    QVERIFY2(first.out.contains("\"cn\":\"srv_client1\""), first.out.constData());

    // No -cert this time: the peer certificate the handler sees can only come from the session.
    const auto resumed = sClient(m_server->port(), {version, QStringLiteral("-sess_in"), session, QStringLiteral("-ign_eof")},
                                 request);
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QVERIFY2(resumed.out.contains("Reused, TLSv1."), resumed.out.constData());
    QVERIFY2(resumed.out.contains("\"peer\":true"), resumed.out.constData());
    QVERIFY2(resumed.out.contains("\"cn\":\"srv_client1\""), resumed.out.constData());
}

void TestHttpsServer::sessionNotResumedAfterClientCertificateExpired()
{
    ManualClock clock(QDateTime::currentDateTimeUtc());
    // A lifetime far beyond the client certificate's two days.
    const auto tls = contextWithSessionClock(clock, 30 * 86400);
    QVERIFY(tls);
    auto server = startServer({}, tls);
    QVERIFY(server);

    const QString session = path(QStringLiteral("expiring-session.pem"));
    const QByteArray request = get("/expiring", "Connection: close\r\n");
    const auto first = sClient(server->port(),
                               {QStringLiteral("-cert"), path(QStringLiteral("client.crt")), QStringLiteral("-key"),
                                path(QStringLiteral("client.key")), QStringLiteral("-sess_out"), session,
                                QStringLiteral("-ign_eof")},
                               request);
    QVERIFY2(first.out.contains("New, TLSv1.3"), first.out.constData());
    const QStringList resume{QStringLiteral("-sess_in"), session, QStringLiteral("-ign_eof")};

    clock.advance(47 * 3600); // the certificate is valid for 48 hours
    const auto stillValid = sClient(server->port(), resume, request);
    QVERIFY2(stillValid.out.contains("Reused, TLSv1.3"), stillValid.out.constData());
    QVERIFY2(stillValid.out.contains("\"cn\":\"srv_client1\""), stillValid.out.constData());

    clock.advance(2 * 3600);
    const auto expired = sClient(server->port(), resume, request);
    QVERIFY2(expired.out.contains("New, TLSv1.3"), expired.out.constData());
    // A full handshake without a certificate: the handler sees no peer.
    QVERIFY2(expired.out.contains("\"peer\":false"), expired.out.constData());
}

void TestHttpsServer::sessionNotResumedAfterLifetime()
{
    ManualClock clock(QDateTime::currentDateTimeUtc());
    const auto tls = contextWithSessionClock(clock, 3600);
    QVERIFY(tls);
    auto server = startServer({}, tls);
    QVERIFY(server);

    const QString session = path(QStringLiteral("lifetime-session.pem"));
    const QByteArray request = get("/lifetime", "Connection: close\r\n");
    const auto first = sClient(server->port(), {QStringLiteral("-sess_out"), session, QStringLiteral("-ign_eof")},
                               request);
    QVERIFY2(first.out.contains("New, TLSv1.3"), first.out.constData());
    const QStringList resume{QStringLiteral("-sess_in"), session, QStringLiteral("-ign_eof")};
    clock.advance(3599);
    QVERIFY2(sClient(server->port(), resume, request).out.contains("Reused, TLSv1.3"), "resumed within the lifetime");
    clock.advance(1);
    const auto late = sClient(server->port(), resume, request);
    QVERIFY2(late.out.contains("New, TLSv1.3"), late.out.constData());
}

void TestHttpsServer::sessionCacheDropsOldestBeyondCapacity()
{
    ManualClock clock(QDateTime::currentDateTimeUtc());
    const auto tls = contextWithSessionClock(clock, 3600, 2);
    QVERIFY(tls);
    auto server = startServer({}, tls);
    QVERIFY(server);
    const QByteArray request = get("/capacity", "Connection: close\r\n");
    QStringList sessions;
    for (int i = 0; i < 3; ++i) {
        sessions.append(path(QStringLiteral("capacity-session-%1.pem").arg(i)));
        const auto full = sClient(server->port(), {QStringLiteral("-sess_out"), sessions.last(), QStringLiteral("-ign_eof")},
                                  request);
        QVERIFY2(full.out.contains("New, TLSv1.3"), full.out.constData());
    }
    const auto resume = [&](int i) {
        return sClient(server->port(), {QStringLiteral("-sess_in"), sessions.at(i), QStringLiteral("-ign_eof")},
                       request)
            .out;
    };
    // Two places: the first session made room for the third.
    const QByteArray third = resume(2);
    QVERIFY2(third.contains("Reused, TLSv1.3"), third.constData());
    const QByteArray first = resume(0);
    QVERIFY2(first.contains("New, TLSv1.3"), first.constData());
}

void TestHttpsServer::accessLog()
{
    TlsTestClient client(path(QStringLiteral("ca.crt")), path(QStringLiteral("client.crt")),
                         path(QStringLiteral("client.key")));
    QVERIFY2(client.connectTo(m_server->port()), qPrintable(client.errorString()));
    const QByteArray body = "{\"build_secret\":\"very-secret-body\"}";
    const auto response = client.request("POST /logged?token=supersecret HTTP/1.1\r\nHost: a\r\n"
                                         "Content-Type: application/json\r\nContent-Length: "
                                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(json(*response).value(QStringLiteral("cn")).toString(), QStringLiteral("srv_client1"));
    // The line is written after the response went out.
    QTRY_COMPARE(accessLinesContaining(QStringLiteral("path=/logged")).size(), 1);
    const QString line = accessLinesContaining(QStringLiteral("path=/logged")).first();
    static const QRegularExpression format(QStringLiteral(
        "^method=POST path=/logged status=200 server_id=srv_test duration_ms=\\d+\\.\\d\\d remote=127\\.0\\.0\\.1$"));
    QVERIFY2(format.match(line).hasMatch(), qPrintable(line));
    {
        QMutexLocker lock(&g_logMutex);
        for (const QString &any : std::as_const(g_accessLines)) {
            QVERIFY2(!any.contains(QStringLiteral("supersecret")), qPrintable(any));
            QVERIFY2(!any.contains(QStringLiteral("very-secret-body")), qPrintable(any));
        }
    }

    // Transport-level refusals are logged too.
    QVERIFY(client.send("POST /refused HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n"));
    QVERIFY(client.readResponse());
    QTRY_COMPARE(accessLinesContaining(QStringLiteral("path=/refused")).size(), 1);
    QVERIFY2(accessLinesContaining(QStringLiteral("path=/refused"))
                 .first()
                 .startsWith(QStringLiteral("method=POST path=/refused status=413 server_id=- duration_ms=")),
             qPrintable(accessLinesContaining(QStringLiteral("path=/refused")).first()));

    // The path is the client's: bytes outside printable ASCII (here a UTF-8 right-to-left
    // override and a C1 control) are logged as %XX, and one over 256 bytes is cut.
    TlsTestClient another(path(QStringLiteral("ca.crt")));
    QVERIFY2(another.connectTo(m_server->port()), qPrintable(another.errorString()));
    QVERIFY(another.send("GET /odd\xE2\x80\xAE\xC2\x9B" + QByteArray(400, 'x') + " HTTP/1.1\r\nHost: a\r\n\r\n"));
    QVERIFY(another.readResponse());
    QTRY_COMPARE(accessLinesContaining(QStringLiteral("path=/odd")).size(), 1);
    const QString odd = accessLinesContaining(QStringLiteral("path=/odd")).first();
    QVERIFY2(odd.startsWith(QStringLiteral("method=GET path=/odd%E2%80%AE%C2%9B") + QString(247, QLatin1Char('x'))
                            + QStringLiteral("... status=")),
             qPrintable(odd));
}

void TestHttpsServer::connectionLimit()
{
    HttpsServerConfig config;
    config.maxConnections = 2;
    auto server = startServer(config);
    QVERIFY(server);
    TlsTestClient a(path(QStringLiteral("ca.crt"))), b(path(QStringLiteral("ca.crt"))), c(path(QStringLiteral("ca.crt")));
    QVERIFY(a.connectTo(server->port()));
    QVERIFY(b.connectTo(server->port()));
    QTRY_COMPARE(server->connectionCount(), 2);
    QVERIFY(!c.connectTo(server->port(), 3000));
    QVERIFY(a.request(get("/still-served")));
    a.socket().disconnectFromHost();
    QVERIFY(a.waitForDisconnected(3000));
    QTRY_COMPARE(server->connectionCount(), 1);
    TlsTestClient d(path(QStringLiteral("ca.crt")));
    QVERIFY(d.connectTo(server->port()));
    QVERIFY(d.request(get("/room-again")));
}

void TestHttpsServer::manyConcurrentClients()
{
    HttpsServerConfig config;
    config.threads = 3;
    auto server = startServer(config);
    QVERIFY(server);
    {
        QMutexLocker lock(&m_threadsMutex);
        m_handlerThreads.clear();
    }
    constexpr int kClients = 50;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(path(QStringLiteral("ca.crt"))));
    std::vector<std::unique_ptr<QSslSocket>> sockets;
    std::vector<QByteArray> received(kClients);
    int finished = 0;
    for (int i = 0; i < kClients; ++i) {
        auto socket = std::make_unique<QSslSocket>();
        QSslSocket *s = socket.get();
        s->setSslConfiguration(configuration);
        connect(s, &QSslSocket::encrypted, s, [s, i] {
            s->write(get("/concurrent?i=" + QByteArray::number(i), "Connection: close\r\n"));
        });
        connect(s, &QSslSocket::readyRead, s, [s, i, &received] { received[i] += s->readAll(); });
        connect(s, &QSslSocket::disconnected, s, [&finished] { ++finished; });
        connect(s, &QSslSocket::errorOccurred, s, [s](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                qWarning() << "client error" << s->errorString();
        });
        s->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server->port());
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, kClients, 30000);
    for (int i = 0; i < kClients; ++i) {
        QVERIFY2(received[i].startsWith("HTTP/1.1 200 OK\r\n"), received[i].constData());
        QVERIFY2(received[i].contains("\"query\":\"i=" + QByteArray::number(i) + "\""), received[i].constData());
    }
    QMutexLocker lock(&m_threadsMutex);
    QVERIFY(!m_handlerThreads.empty());
    QVERIFY2(m_handlerThreads.size() <= 3, qPrintable(QString::number(m_handlerThreads.size())));
}

void TestHttpsServer::runUntilSignalledStopsOnSigterm()
{
    auto server = startServer({});
    QVERIFY(server);
    TlsTestClient busy(path(QStringLiteral("ca.crt")));
    QVERIFY(busy.connectTo(server->port()));

    // Until the server's handler is in place, a SIGTERM would be ignored rather than end the test.
    std::signal(SIGTERM, SIG_IGN);
    std::atomic<bool> returned{false};
    std::thread runner([&] {
        server->runUntilSignalled();
        returned = true;
    });
    QElapsedTimer timer;
    timer.start();
    struct sigaction current {};
    while (timer.elapsed() < 5000) {
        sigaction(SIGTERM, nullptr, &current);
        if (current.sa_handler != SIG_IGN)
            break;
        std::this_thread::sleep_for(10ms);
    }
    QVERIFY(current.sa_handler != SIG_IGN);
    QVERIFY(busy.send(get("/slow")));
    std::this_thread::sleep_for(100ms);
    ::kill(::getpid(), SIGTERM);
    const auto response = busy.readResponse(5000);
    runner.join();
    QVERIFY(returned);
    QVERIFY2(response, qPrintable(busy.errorString()));
    QCOMPARE(response->status, 200);
    QVERIFY(!server->isRunning());
    // The server's handler is gone again: the default disposition is back.
    sigaction(SIGTERM, nullptr, &current);
    QVERIFY(current.sa_handler == SIG_DFL);
}

void TestHttpsServer::runUntilSignalledReturnsAfterStop()
{
    auto server = startServer({});
    QVERIFY(server);
    std::thread stopper([&] {
        std::this_thread::sleep_for(200ms);
        server->stop();
    });
    QElapsedTimer timer;
    timer.start();
    server->runUntilSignalled();
    stopper.join();
    QVERIFY(!server->isRunning());
    QVERIFY(timer.elapsed() < 5000);

    // Already stopped: returns at once.
    server->runUntilSignalled();
}

// `imprint serve` says it is ready before it blocks in runUntilSignalled(); a SIGTERM
// sent in between (a supervisor, a test) must still stop it gracefully.
void TestHttpsServer::signalBeforeRunIsNotLost()
{
    auto server = startServer({});
    QVERIFY(server);
    server->catchSignals();
    struct sigaction current {};
    sigaction(SIGTERM, nullptr, &current);
    QVERIFY(current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN);
    ::kill(::getpid(), SIGTERM); // would end the test process without the handler
    std::atomic<bool> returned{false};
    std::thread runner([&] {
        server->runUntilSignalled();
        returned = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(returned, 10000);
    runner.join();
    QVERIFY(!server->isRunning());
    sigaction(SIGTERM, nullptr, &current);
    QVERIFY(current.sa_handler == SIG_DFL);
}

void TestHttpsServer::stopFromHandler()
{
    HttpsServer *self = nullptr;
    HttpsServerConfig config;
    config.port = 0;
    config.threads = 1;
    std::atomic<int> started{0}, finished{0};
    config.threadStarted = [&] { ++started; };
    config.threadFinished = [&] { ++finished; };
    HttpsServer server(config, m_tls, [&self](const HttpRequest &) {
        self->stop(); // must not deadlock on its own thread
        return HttpResponse{200, "application/json", "{}", {}, {}};
    });
    self = &server;
    QVERIFY(server.start().ok());
    TlsTestClient client(path(QStringLiteral("ca.crt")));
    QVERIFY(client.connectTo(server.port()));
    const auto response = client.request(get("/stop"));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("Connection").toLower(), QByteArray("close"));
    server.stop(); // joins
    QVERIFY(!server.isRunning());
    QCOMPARE(started.load(), 1);
    QCOMPARE(finished.load(), 1);
}

QTEST_GUILESS_MAIN(TestHttpsServer)
#include "tst_httpsserver.moc"
