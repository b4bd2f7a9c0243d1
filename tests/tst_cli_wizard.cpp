// `imprint wizard --headless` against a running `imprint serve`: the same four cases as
// the window (enrolled and usable for mTLS, wrong pin, wrong build secret then right,
// service down then up), with its output, error texts (the wizard's own, Texts) and exit
// codes; and the window's command without a display saying how to run headless.
#include "support/serveprocess.h"
#include "support/testing.h"
#include "wizard/wizardtexts.h"

#include <QDir>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace imprint;
using namespace imprint::testing;
using imprint::wizard::Texts;

class TestCliWizard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void enrollsAndTheStoreServesMtls();
    void wrongPinSendsNothing();
    void wrongSecretThenRight();
    void serviceDownThenUp();
    void usageErrors();
    void withoutDisplaySaysHowToRunHeadless();

private:
    ProcessResult wizard(const QString &url, const QString &pin, const QStringList &secret);
    QString storeDir() const { return m_device->filePath(QStringLiteral("store")); }

    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<QTemporaryDir> m_device;
    QString m_root;
};

void TestCliWizard::initTestCase()
{
    m_serve = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestCliWizard::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

void TestCliWizard::init()
{
    m_device = std::make_unique<QTemporaryDir>();
    m_root = m_device->filePath(QStringLiteral("root"));
    QVERIFY(makeMachineRoot(m_root));
}

ProcessResult TestCliWizard::wizard(const QString &url, const QString &pin, const QStringList &secret)
{
    return runImprint(QStringList{QStringLiteral("wizard"), QStringLiteral("--headless"), QStringLiteral("--url"), url,
                                  QStringLiteral("--ca-pin"), pin, QStringLiteral("--store-dir"), storeDir(),
                                  QStringLiteral("--root"), m_root}
                      + secret);
}

void TestCliWizard::enrollsAndTheStoreServesMtls()
{
    const auto run = wizard(m_serve->url(), m_serve->caPin(), {QStringLiteral("--secret-file"), m_serve->secretFile()});
    QVERIFY2(run.exitCode == 0, (run.out + run.err).constData());
    const QString out = QString::fromUtf8(run.out);
    // The pages in order: status, service, identity, the five steps, the result.
    const QStringList expected{QStringLiteral("not enrolled yet"),
                               QStringLiteral("Service verified. Nothing secret has been sent yet."),
                               QStringLiteral("Fingerprint: sha256:"),
                               QStringLiteral("[1/5] ") + Texts::step(device::Enrollment::Step::CheckingService),
                               QStringLiteral("[2/5] ") + Texts::step(device::Enrollment::Step::GeneratingKey),
                               QStringLiteral("[3/5] ") + Texts::step(device::Enrollment::Step::CreatingRequest),
                               QStringLiteral("[4/5] ") + Texts::step(device::Enrollment::Step::Sending),
                               QStringLiteral("[5/5] ") + Texts::step(device::Enrollment::Step::Saving),
                               QStringLiteral("This machine is enrolled as srv_"),
                               QStringLiteral("imprint daemon --url ") + m_serve->url()};
    qsizetype at = 0;
    for (const QString &line : expected) {
        const qsizetype found = out.indexOf(line, at);
        QVERIFY2(found >= 0, qPrintable(QStringLiteral("missing after %1: %2\n%3").arg(at).arg(line, out)));
        at = found + line.size();
    }
    const auto request = runImprint({QStringLiteral("request"), QStringLiteral("--store-dir"), storeDir(),
                                     m_serve->url() + QStringLiteral("/api/v1/device")});
    QVERIFY2(request.exitCode == 0, (request.out + request.err).constData());
    QVERIFY(request.out.startsWith("status: 200\n"));

    // Run again, it says the machine is enrolled and enrolls again under the same server_id.
    const QString serverId = out.section(QStringLiteral("enrolled as "), 1).section(QLatin1Char('.'), 0, 0);
    const auto again = wizard(m_serve->url(), m_serve->caPin(), {QStringLiteral("--secret-file"), m_serve->secretFile()});
    QVERIFY2(again.exitCode == 0, again.err.constData());
    QVERIFY(again.out.startsWith(QStringLiteral("Enrolled as %1").arg(serverId).toUtf8()));
    QVERIFY(again.out.contains(QStringLiteral("This machine is enrolled as %1.").arg(serverId).toUtf8()));
}

void TestCliWizard::wrongPinSendsNothing()
{
    const int enrollsBefore = int(m_serve->output().count(QStringLiteral("path=/api/v1/enroll ")));
    const QString wrongPin = QStringLiteral("sha256:") + QString(64, QLatin1Char('b'));
    const auto run = wizard(m_serve->url(), wrongPin, {QStringLiteral("--secret-file"), m_serve->secretFile()});
    QCOMPARE(run.exitCode, 1);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(err.contains(Texts::failureTitle(device::DeviceError::make(device::DeviceError::Kind::PinMismatch, {}))),
             qPrintable(err));
    QVERIFY(err.contains(QStringLiteral("Expected pin: ") + wrongPin));
    QVERIFY(err.contains(QStringLiteral("Found pin:    ") + m_serve->caPin()));
    // It stopped at the service: no step of the enrollment ran, nothing reached the service.
    QVERIFY(!run.out.contains("[1/5]"));
    QCOMPARE(int(m_serve->output().count(QStringLiteral("path=/api/v1/enroll "))), enrollsBefore);
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.key")));
}

void TestCliWizard::wrongSecretThenRight()
{
    const auto wrong = wizard(m_serve->url(), m_serve->caPin(), {QStringLiteral("--secret"), QStringLiteral("nope")});
    QCOMPARE(wrong.exitCode, 1);
    device::DeviceError refused = device::DeviceError::make(device::DeviceError::Kind::Http, {});
    refused.httpStatus = 401;
    const QString err = QString::fromUtf8(wrong.err);
    QVERIFY2(err.contains(Texts::failureTitle(refused)) && err.contains(Texts::failureAdvice(refused))
                 && err.contains(QStringLiteral("unknown build secret")),
             qPrintable(err));
    QVERIFY(wrong.out.contains("[4/5]"));
    QVERIFY(!wrong.out.contains("[5/5]"));
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.crt")));

    const auto right = wizard(m_serve->url(), m_serve->caPin(), {QStringLiteral("--secret"), QStringLiteral("test-build-secret")});
    QVERIFY2(right.exitCode == 0, right.err.constData());
    QVERIFY(QFile::exists(storeDir() + QStringLiteral("/client.crt")));
}

void TestCliWizard::serviceDownThenUp()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    ServeProcess::Options options;
    options.port = probe.serverPort();
    probe.close();
    ServeProcess later(options);
    QVERIFY2(later.start(), qPrintable(later.errorText()));
    const QString url = later.url();
    const QString pin = later.caPin();
    QCOMPARE(later.stop(), 0);

    const QStringList secret{QStringLiteral("--secret-file"), later.secretFile()};
    const auto down = wizard(url, pin, secret);
    QCOMPARE(down.exitCode, 1);
    const device::DeviceError unreachable = device::DeviceError::make(device::DeviceError::Kind::Network, {});
    const QString err = QString::fromUtf8(down.err);
    QVERIFY2(err.contains(Texts::failureTitle(unreachable)) && err.contains(Texts::failureAdvice(unreachable)),
             qPrintable(err));

    QVERIFY2(later.start(), qPrintable(later.errorText()));
    const auto up = wizard(url, pin, secret);
    QVERIFY2(up.exitCode == 0, up.err.constData());
    const int code = later.stop();
    QVERIFY2(code == 0, qPrintable(later.output()));
}

void TestCliWizard::usageErrors()
{
    const auto noUrl = runImprint({QStringLiteral("wizard"), QStringLiteral("--headless"), QStringLiteral("--secret"),
                                   QStringLiteral("x"), QStringLiteral("--store-dir"), storeDir()});
    QCOMPARE(noUrl.exitCode, 2);
    QVERIFY(noUrl.err.contains("--url is required"));
    const auto noSecret = runImprint({QStringLiteral("wizard"), QStringLiteral("--headless"), QStringLiteral("--url"),
                                      m_serve->url(), QStringLiteral("--store-dir"), storeDir()});
    QCOMPARE(noSecret.exitCode, 2);
    QVERIFY(noSecret.err.contains("no build secret"));
    const auto badUrl = wizard(QStringLiteral("http://127.0.0.1:1"), m_serve->caPin(),
                               {QStringLiteral("--secret"), QStringLiteral("x")});
    QCOMPARE(badUrl.exitCode, 1);
    QVERIFY(badUrl.err.contains("https://"));
    const auto both = runImprint({QStringLiteral("wizard"), QStringLiteral("--headless"), QStringLiteral("--fullscreen")});
    QCOMPARE(both.exitCode, 2);
    QVERIFY(!QFile::exists(storeDir() + QStringLiteral("/client.key")));
}

void TestCliWizard::withoutDisplaySaysHowToRunHeadless()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        environment.remove(QLatin1String(name));
    const auto run = runImprint({QStringLiteral("wizard"), QStringLiteral("--url"), m_serve->url()}, {}, environment);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("imprint wizard --headless"), run.err.constData());
    QVERIFY(run.out.isEmpty());
    // --help needs no display either.
    const auto help = runImprint({QStringLiteral("wizard"), QStringLiteral("--help")}, {}, environment);
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--headless") && help.out.contains("--fullscreen"));
}

QTEST_MAIN(TestCliWizard)
#include "tst_cli_wizard.moc"
