// OperationLock: operations that get new credentials for one store take turns, within a
// process and across processes, and a renewal that waited starts from what the one before
// it saved.
#include "device/credentialstore.h"
#include "device/mtlssession.h"
#include "device/operationlock.h"
#include "device/renewal.h"
#include "support/serveprocess.h"
#include "support/testing.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace imprint;
using namespace imprint::testing;
using device::OperationLock;

class TestOperationLock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void freeLockIsAcquiredAtOnce();
    void secondHolderWaitsUntilTheFirstReleases();
    void waiterGivesUpAtTheDeadline();
    void lockHeldByAnotherProcessIsWaitedFor_data();
    void lockHeldByAnotherProcessIsWaitedFor();
    void uncreatableStoreIsAnError();
    void concurrentRenewalsOfOneStoreBothSucceed();

private:
    QString freshStore();
    // flock(1) (util-linux) holding the operation lock of `store` until its stdin closes.
    bool startExternalHolder(QProcess &process, const QString &store);

    QTemporaryDir m_dir;
    int m_stores = 0;
    std::unique_ptr<ServeProcess> m_serve;
};

void TestOperationLock::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_serve = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestOperationLock::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

QString TestOperationLock::freshStore()
{
    return m_dir.filePath(QStringLiteral("store-%1").arg(++m_stores));
}

bool TestOperationLock::startExternalHolder(QProcess &process, const QString &store)
{
    if (QStandardPaths::findExecutable(QStringLiteral("flock")).isEmpty())
        return false;
    OperationLock creator(store); // creates the directory and the lock file
    creator.acquire();
    creator.release();
    // --no-fork: the process that holds the lock is the one we can end or kill.
    process.start(QStringLiteral("flock"),
                  {QStringLiteral("--exclusive"), QStringLiteral("--no-fork"),
                   store + QLatin1Char('/') + OperationLock::kFileName, QStringLiteral("sh"), QStringLiteral("-c"),
                   QStringLiteral("echo locked; exec cat")});
    if (!process.waitForReadyRead(10000))
        return false;
    return process.readAllStandardOutput() == "locked\n";
}

void TestOperationLock::freeLockIsAcquiredAtOnce()
{
    const QString store = freshStore();
    OperationLock lock(store);
    QSignalSpy acquired(&lock, &OperationLock::acquired);
    QSignalSpy failed(&lock, &OperationLock::failed);
    lock.acquire();
    QCOMPARE(acquired.count(), 1);
    QCOMPARE(failed.count(), 0);
    QVERIFY(lock.isHeld());
    // The store directory is created as save() would create it, the lock file private.
    struct stat info {};
    QCOMPARE(::stat(QFile::encodeName(store).constData(), &info), 0);
    QCOMPARE(info.st_mode & 07777, mode_t(0700));
    QCOMPARE(::stat(QFile::encodeName(lock.lockPath()).constData(), &info), 0);
    QCOMPARE(info.st_mode & 07777, mode_t(0600));
    lock.release();
    QVERIFY(!lock.isHeld());
}

void TestOperationLock::secondHolderWaitsUntilTheFirstReleases()
{
    const QString store = freshStore();
    OperationLock first(store);
    first.acquire();
    QVERIFY(first.isHeld());

    OperationLock second(store);
    second.pollInterval = std::chrono::milliseconds(10);
    QSignalSpy acquired(&second, &OperationLock::acquired);
    QSignalSpy failed(&second, &OperationLock::failed);
    second.acquire();
    QCOMPARE(acquired.count(), 0);
    QVERIFY(!second.isHeld());
    // Several polls find the lock taken and keep waiting.
    QTest::qWait(50);
    QCOMPARE(acquired.count(), 0);
    QCOMPARE(failed.count(), 0);

    first.release();
    QVERIFY(acquired.wait(10000));
    QVERIFY(second.isHeld());
    QCOMPARE(failed.count(), 0);
}

void TestOperationLock::waiterGivesUpAtTheDeadline()
{
    const QString store = freshStore();
    OperationLock holder(store);
    holder.acquire();
    QVERIFY(holder.isHeld());

    ManualClock clock(QDateTime(QDate(2026, 12, 4), QTime(9, 0), Qt::UTC));
    OperationLock waiter(store, clock);
    waiter.timeout = std::chrono::seconds(60);
    waiter.pollInterval = std::chrono::milliseconds(10);
    QSignalSpy acquired(&waiter, &OperationLock::acquired);
    QSignalSpy failed(&waiter, &OperationLock::failed);
    waiter.acquire();
    clock.advance(59);
    QTest::qWait(30);
    QCOMPARE(failed.count(), 0);
    clock.advance(2);
    QVERIFY(failed.wait(10000));
    QCOMPARE(acquired.count(), 0);
    QVERIFY(!waiter.isHeld());
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(store) && message.contains(QStringLiteral("for 60 s")), qPrintable(message));
    QVERIFY(holder.isHeld());
}

void TestOperationLock::lockHeldByAnotherProcessIsWaitedFor_data()
{
    QTest::addColumn<bool>("killed");
    QTest::newRow("the holder finishes") << false;
    // SIGKILL: no chance to unlock, the kernel drops the lock with the process.
    QTest::newRow("the holder is killed") << true;
}

void TestOperationLock::lockHeldByAnotherProcessIsWaitedFor()
{
    QFETCH(bool, killed);
    const QString store = freshStore();
    QProcess other;
    if (!startExternalHolder(other, store))
        QSKIP("util-linux flock(1) is not available");
    OperationLock waiter(store);
    waiter.pollInterval = std::chrono::milliseconds(10);
    QSignalSpy acquired(&waiter, &OperationLock::acquired);
    waiter.acquire();
    QTest::qWait(50);
    QCOMPARE(acquired.count(), 0);

    if (killed)
        other.kill();
    else
        other.closeWriteChannel(); // cat ends, and with it the lock
    QVERIFY(other.waitForFinished(10000));
    QVERIFY(acquired.wait(10000));
    QVERIFY(waiter.isHeld());
}

void TestOperationLock::uncreatableStoreIsAnError()
{
    QFile file(m_dir.filePath(QStringLiteral("a-file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    OperationLock lock(file.fileName() + QStringLiteral("/store"));
    QSignalSpy acquired(&lock, &OperationLock::acquired);
    QSignalSpy failed(&lock, &OperationLock::failed);
    lock.acquire();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(acquired.count(), 0);
    QVERIFY(!lock.isHeld());
    QVERIFY2(failed.first().first().toString().contains(file.fileName()), qPrintable(failed.first().first().toString()));
}

void TestOperationLock::concurrentRenewalsOfOneStoreBothSucceed()
{
    const QString store = freshStore();
    const auto enrolled = runImprint({QStringLiteral("enroll"), QStringLiteral("--url"), m_serve->url(),
                                      QStringLiteral("--ca-pin"), m_serve->caPin(), QStringLiteral("--store-dir"), store,
                                      QStringLiteral("--secret-file"), m_serve->secretFile()});
    QVERIFY2(enrolled.exitCode == 0, enrolled.err.constData());

    // Both start in the same turn of the event loop, so without the lock both would read
    // the enrolled certificate, and whichever the service answered second would be
    // refused for presenting a superseded one.
    const QUrl url(m_serve->url());
    device::Renewal first({url, store, device::Renewal::Tier::Renew, {}});
    device::Renewal second({url, store, device::Renewal::Tier::Renew, {}});
    QSignalSpy firstDone(&first, &device::Renewal::finished);
    QSignalSpy secondDone(&second, &device::Renewal::finished);
    first.start();
    second.start();
    QVERIFY(firstDone.count() == 1 || firstDone.wait(30000));
    QVERIFY(secondDone.count() == 1 || secondDone.wait(30000));
    QVERIFY2(first.result().ok(), qPrintable(first.result().ok() ? QString() : first.result().error().message));
    QVERIFY2(second.result().ok(), qPrintable(second.result().ok() ? QString() : second.result().error().message));
    const QString firstSerial = first.result()->serialHex();
    const QString secondSerial = second.result()->serialHex();
    QVERIFY(firstSerial != secondSerial);

    // The store holds the certificate issued last, and the service accepts it.
    auto saved = device::CredentialStore(store).load();
    QVERIFY(saved.ok());
    QCOMPARE(saved->certificate.serialHex(), secondSerial);
    device::MtlsSession session(store);
    auto request = session.request(QUrl(m_serve->url() + QStringLiteral("/api/v1/device")));
    QVERIFY(request.ok());
    QNetworkReply *reply = session.network()->get(request.value());
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("serial")).toString(), secondSerial);
}

QTEST_GUILESS_MAIN(TestOperationLock)
#include "tst_operationlock.moc"
