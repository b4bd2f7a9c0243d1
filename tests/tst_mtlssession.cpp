// MtlsSession: an application's mutual-TLS requests pick up credentials renewed by another
// process without a restart.
#include "device/mtlssession.h"
#include "support/serveprocess.h"
#include "support/testing.h"

#include <QDir>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace imprint;
using namespace imprint::testing;

class TestMtlsSession : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void renewalByAnotherProcessIsPickedUp();
    void missingStoreIsAnError();

private:
    QJsonObject get(device::MtlsSession &session, int *status);

    std::unique_ptr<ServeProcess> m_serve;
    QTemporaryDir m_dir;
};

void TestMtlsSession::initTestCase()
{
    m_serve = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestMtlsSession::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

QJsonObject TestMtlsSession::get(device::MtlsSession &session, int *status)
{
    auto request = session.request(QUrl(m_serve->url() + QStringLiteral("/api/v1/device")));
    if (!request) {
        qWarning() << request.errorMessage();
        return {};
    }
    QNetworkReply *reply = session.network()->get(request.value());
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestMtlsSession::renewalByAnotherProcessIsPickedUp()
{
    const QString store = m_dir.filePath(QStringLiteral("store"));
    const QStringList common{QStringLiteral("--url"), m_serve->url(), QStringLiteral("--store-dir"), store,
                             QStringLiteral("--secret-file"), m_serve->secretFile()};
    const auto enrolled = runImprint(QStringList{QStringLiteral("enroll"), QStringLiteral("--ca-pin"), m_serve->caPin()}
                                     + common);
    QVERIFY2(enrolled.exitCode == 0, (enrolled.err).constData());

    device::MtlsSession session(store);
    QSignalSpy changed(&session, &device::MtlsSession::credentialsChanged);
    int status = 0;
    const QJsonObject before = get(session, &status);
    QCOMPARE(status, 200);
    const QString firstSerial = before.value(QStringLiteral("serial")).toString();
    QCOMPARE(session.currentSerial(), firstSerial);
    // A kept-alive connection exists now; the renewal must not be masked by it.
    QCOMPARE(get(session, &status).value(QStringLiteral("serial")).toString(), firstSerial);

    const auto renewed = runImprint(QStringList{QStringLiteral("renew"), QStringLiteral("--force")} + common);
    QVERIFY2(renewed.exitCode == 0, (renewed.out + renewed.err).constData());

    const QJsonObject after = get(session, &status);
    QCOMPARE(status, 200);
    const QString secondSerial = after.value(QStringLiteral("serial")).toString();
    QVERIFY(!secondSerial.isEmpty());
    QVERIFY(secondSerial != firstSerial);
    QCOMPARE(session.currentSerial(), secondSerial);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().toString(), secondSerial);
}

void TestMtlsSession::missingStoreIsAnError()
{
    device::MtlsSession session(m_dir.filePath(QStringLiteral("nothing-here")));
    auto request = session.request(QUrl(m_serve->url() + QStringLiteral("/api/v1/device")));
    QVERIFY(!request.ok());
    QVERIFY(!request.errorMessage().isEmpty());
}

QTEST_GUILESS_MAIN(TestMtlsSession)
#include "tst_mtlssession.moc"
