// The enrollment wizard, offscreen, against a running `imprint serve` on loopback: an
// enrollment whose store then serves an mTLS request; a wrong pin stopping at the service
// page with nothing secret sent; a wrong build secret, then a retry that keeps what was
// typed; the service down, then up; cancel while enrolling; renewal from the status
// page; the 800x480 touch screen; German; and screenshots of every page (into docs/ when
// IMPRINT_SCREENSHOTS is set).
#include "common/clock.h"
#include "common/translations.h"
#include "device/credentialstore.h"
#include "device/inspection.h"
#include "support/serveprocess.h"
#include "support/testing.h"
#include "wizard/credentialspage.h"
#include "wizard/enrollingpage.h"
#include "wizard/enrollmentwizard.h"
#include "wizard/identitypage.h"
#include "wizard/resultpage.h"
#include "wizard/servicepage.h"
#include "wizard/statuspage.h"
#include "wizard/wizardtexts.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace imprint;
using namespace imprint::testing;
using imprint::wizard::EnrollmentWizard;
using imprint::wizard::Texts;

namespace {

constexpr int kNetworkTimeoutMs = 30000;

// Replaces a line edit's text as a person would: select all, type.
void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void clickNext(EnrollmentWizard &wizard)
{
    QAbstractButton *next = wizard.button(QWizard::NextButton);
    QVERIFY(next->isVisible());
    QVERIFY(next->isEnabled());
    QTest::mouseClick(next, Qt::LeftButton);
}

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return 0;
    return server.serverPort();
}

} // namespace

class TestWizard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void enrollsAndTheStoreServesMtls();
    void wrongPinStopsAtTheServicePage();
    void wrongSecretThenRetryKeepsWhatWasTyped();
    void serviceDownThenUp();
    void cancelWhileEnrollingLeavesNoStore();
    void statusPageRenews();
    void fitsATouchScreen();
    void germanWizard();
    void screenshots();

private:
    std::unique_ptr<EnrollmentWizard> makeWizard(const QString &url = {}, const QString &pin = {});
    // From the status page to the end of the service check, typing URL and pin.
    void checkService(EnrollmentWizard &wizard, const QString &url, const QString &pin, bool expectOk);
    // Identity and credentials pages, then waits for the result page.
    void enrollWithSecret(EnrollmentWizard &wizard, const QString &secret);
    QString storeDir() const { return m_device->filePath(QStringLiteral("store")); }
    int enrollRequestsLogged();

    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<QTemporaryDir> m_device;
    QString m_root;
};

void TestWizard::initTestCase()
{
    ui::installTranslators(*qApp, QLocale(QLocale::English));
    m_serve = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
}

void TestWizard::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

void TestWizard::init()
{
    m_device = std::make_unique<QTemporaryDir>();
    // Each test is its own machine: a fake root with its own machine-id.
    m_root = m_device->filePath(QStringLiteral("root"));
    QVERIFY(makeMachineRoot(m_root));
}

std::unique_ptr<EnrollmentWizard> TestWizard::makeWizard(const QString &url, const QString &pin)
{
    wizard::WizardInputs inputs;
    inputs.url = url;
    inputs.caPin = pin;
    inputs.storeDirectory = storeDir();
    inputs.root = m_root;
    auto wizard = std::make_unique<EnrollmentWizard>(inputs, processClock());
    wizard->show();
    return wizard;
}

int TestWizard::enrollRequestsLogged()
{
    return int(m_serve->output().count(QStringLiteral("path=/api/v1/enroll ")));
}

void TestWizard::checkService(EnrollmentWizard &wizard, const QString &url, const QString &pin, bool expectOk)
{
    QCOMPARE(wizard.currentId(), int(EnrollmentWizard::StatusPageId));
    clickNext(wizard);
    QCOMPARE(wizard.currentId(), int(EnrollmentWizard::ServicePageId));
    auto *service = wizard.servicePage();
    typeInto(service->urlEdit(), url);
    typeInto(service->pinEdit(), pin);
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled()); // not before the check
    QTest::mouseClick(service->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!service->isChecking(), kNetworkTimeoutMs);
    QCOMPARE(service->isComplete(), expectOk);
    QCOMPARE(wizard.button(QWizard::NextButton)->isEnabled(), expectOk);
}

void TestWizard::enrollWithSecret(EnrollmentWizard &wizard, const QString &secret)
{
    if (wizard.currentId() == EnrollmentWizard::ServicePageId)
        clickNext(wizard);
    if (wizard.currentId() == EnrollmentWizard::IdentityPageId) {
        QVERIFY2(wizard.identityPage()->fingerprintLabel()->text().startsWith(QStringLiteral("sha256:")),
                 qPrintable(wizard.identityPage()->fingerprintLabel()->text()));
        clickNext(wizard);
    }
    QCOMPARE(wizard.currentId(), int(EnrollmentWizard::CredentialsPageId));
    auto *credentials = wizard.credentialsPage();
    typeInto(credentials->secretEdit(), secret);
    clickNext(wizard);
    QTRY_COMPARE_WITH_TIMEOUT(wizard.currentId(), int(EnrollmentWizard::ResultPageId), kNetworkTimeoutMs);
}

void TestWizard::enrollsAndTheStoreServesMtls()
{
    auto wizard = makeWizard();
    QVERIFY(wizard->statusPage()->findChild<QLabel *>(QStringLiteral("summary"))->text().contains(
        QStringLiteral("not enrolled")));
    checkService(*wizard, m_serve->url(), m_serve->caPin(), true);
    QVERIFY(wizard->servicePage()->resultLabel()->text().contains(m_serve->caPin()));
    clickNext(*wizard);
    QCOMPARE(wizard->currentId(), int(EnrollmentWizard::IdentityPageId));
    typeInto(wizard->identityPage()->hostnameEdit(), QStringLiteral("kiosk-lobby-07"));
    clickNext(*wizard);
    // The secret is masked until shown.
    auto *credentials = wizard->credentialsPage();
    QCOMPARE(credentials->secretEdit()->echoMode(), QLineEdit::Password);
    QTest::mouseClick(credentials->showButton(), Qt::LeftButton);
    QCOMPARE(credentials->secretEdit()->echoMode(), QLineEdit::Normal);
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled()); // no secret yet
    enrollWithSecret(*wizard, QStringLiteral("test-build-secret"));

    auto *result = wizard->resultPage();
    QVERIFY2(result->succeeded(), qPrintable(result->headline()->text() + result->detailsLabel()->text()));
    // Every step was passed through and marked done.
    for (int step = 1; step < Texts::kStepCount; ++step)
        QVERIFY(wizard->enrollingPage()->stepLabel(step)->text().startsWith(QStringLiteral("✓")));
    auto status = device::inspect(device::CredentialStore(storeDir()), QDateTime::currentDateTimeUtc());
    QVERIFY(status);
    QCOMPARE(status->state, device::CredentialStatus::State::Valid);
    QVERIFY(result->headline()->text().contains(status->serverId));
    QVERIFY(result->detailsLabel()->text().contains(device::CredentialStore(storeDir()).keyPath()));
    QVERIFY(result->adviceLabel()->text().contains(QStringLiteral("imprint daemon --url ") + m_serve->url()));

    // The store is good for mutual TLS, and the service knows the host name typed.
    const auto request = runImprint({QStringLiteral("request"), QStringLiteral("--store-dir"), storeDir(),
                                     m_serve->url() + QStringLiteral("/api/v1/device")});
    QVERIFY2(request.exitCode == 0, (request.out + request.err).constData());
    QVERIFY(request.out.contains(status->serverId.toLatin1()));
    QVERIFY(request.out.contains("kiosk-lobby-07"));

    QTest::mouseClick(wizard->button(QWizard::FinishButton), Qt::LeftButton);
    QCOMPARE(wizard->result(), int(QDialog::Accepted));
}

void TestWizard::wrongPinStopsAtTheServicePage()
{
    const int enrollsBefore = enrollRequestsLogged();
    const QString wrongPin = QStringLiteral("sha256:") + QString(64, QLatin1Char('a'));
    auto wizard = makeWizard();
    checkService(*wizard, m_serve->url(), wrongPin, false);
    QCOMPARE(wizard->currentId(), int(EnrollmentWizard::ServicePageId));
    const QString shown = wizard->servicePage()->resultLabel()->text();
    QVERIFY2(shown.contains(wrongPin) && shown.contains(m_serve->caPin()), qPrintable(shown));
    QVERIFY(shown.startsWith(Texts::failureTitle(device::DeviceError::make(device::DeviceError::Kind::PinMismatch, {}))));
    // Next stays disabled; nothing was sent, nothing stored.
    wizard->next();
    QCOMPARE(wizard->currentId(), int(EnrollmentWizard::ServicePageId));
    QCOMPARE(enrollRequestsLogged(), enrollsBefore);
    QVERIFY(!device::CredentialStore(storeDir()).isEnrolled());

    // Typing the right pin needs a new check before Next.
    typeInto(wizard->servicePage()->pinEdit(), m_serve->caPin());
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
    QTest::mouseClick(wizard->servicePage()->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->servicePage()->isComplete(), kNetworkTimeoutMs);
}

void TestWizard::wrongSecretThenRetryKeepsWhatWasTyped()
{
    auto wizard = makeWizard();
    checkService(*wizard, m_serve->url(), m_serve->caPin(), true);
    clickNext(*wizard);
    typeInto(wizard->identityPage()->hostnameEdit(), QStringLiteral("kiosk-retry"));
    clickNext(*wizard);
    enrollWithSecret(*wizard, QStringLiteral("not-the-secret"));

    auto *result = wizard->resultPage();
    QVERIFY(!result->succeeded());
    device::DeviceError refused = device::DeviceError::make(device::DeviceError::Kind::Http, {});
    refused.httpStatus = 401;
    QCOMPARE(result->headline()->text(), Texts::failureTitle(refused));
    QVERIFY(result->detailsLabel()->text().contains(QStringLiteral("unknown build secret")));
    QCOMPARE(result->adviceLabel()->text(), Texts::failureAdvice(refused));
    QVERIFY(result->retryButton()->isVisible());
    QVERIFY(!device::CredentialStore(storeDir()).isEnrolled());

    // Retry goes back to the secret, with everything typed still there.
    QTest::mouseClick(result->retryButton(), Qt::LeftButton);
    QCOMPARE(wizard->currentId(), int(EnrollmentWizard::CredentialsPageId));
    QCOMPARE(wizard->credentialsPage()->secretEdit()->text(), QStringLiteral("not-the-secret"));
    QCOMPARE(wizard->identityPage()->hostnameEdit()->text(), QStringLiteral("kiosk-retry"));
    QCOMPARE(wizard->servicePage()->urlEdit()->text(), m_serve->url());
    enrollWithSecret(*wizard, QStringLiteral("test-build-secret"));
    QVERIFY2(result->succeeded(), qPrintable(result->headline()->text() + result->detailsLabel()->text()));
    QVERIFY(device::CredentialStore(storeDir()).isEnrolled());
}

void TestWizard::serviceDownThenUp()
{
    // A service of its own on a fixed port: started once to make its CA, then stopped.
    ServeProcess::Options options;
    options.port = freePort();
    QVERIFY(options.port != 0);
    ServeProcess later(options);
    QVERIFY2(later.start(), qPrintable(later.errorText()));
    const QString url = later.url();
    const QString pin = later.caPin();
    QCOMPARE(later.stop(), 0);

    auto wizard = makeWizard();
    checkService(*wizard, url, pin, false);
    const QString shown = wizard->servicePage()->resultLabel()->text();
    QVERIFY2(shown.startsWith(Texts::failureTitle(device::DeviceError::make(device::DeviceError::Kind::Network, {}))),
             qPrintable(shown));
    QVERIFY(shown.contains(Texts::failureAdvice(device::DeviceError::make(device::DeviceError::Kind::Network, {}))));

    QVERIFY2(later.start(), qPrintable(later.errorText()));
    QTest::mouseClick(wizard->servicePage()->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->servicePage()->isComplete(), kNetworkTimeoutMs);
    enrollWithSecret(*wizard, QStringLiteral("test-build-secret"));
    QVERIFY2(wizard->resultPage()->succeeded(), qPrintable(wizard->resultPage()->detailsLabel()->text()));
    QCOMPARE(later.stop(), 0);
}

void TestWizard::cancelWhileEnrollingLeavesNoStore()
{
    auto wizard = makeWizard();
    checkService(*wizard, m_serve->url(), m_serve->caPin(), true);
    // Cancel the moment the request is on its way.
    bool cancelled = false;
    connect(wizard->enrollingPage(), &wizard::EnrollingPage::stepChanged, this,
            [&](device::Enrollment::Step step) {
                if (step == device::Enrollment::Step::Sending && !cancelled) {
                    cancelled = true;
                    QTest::mouseClick(wizard->enrollingPage()->cancelButton(), Qt::LeftButton);
                }
            });
    enrollWithSecret(*wizard, QStringLiteral("test-build-secret"));
    QVERIFY(cancelled);
    auto *result = wizard->resultPage();
    QVERIFY(!result->succeeded());
    QCOMPARE(result->headline()->text(),
             Texts::failureTitle(device::DeviceError::make(device::DeviceError::Kind::Cancelled, {})));
    // Whatever the service did meanwhile, this machine kept nothing.
    const device::CredentialStore store(storeDir());
    QVERIFY(!store.isEnrolled());
    for (const QString &path : {store.keyPath(), store.certificatePath(), store.caPath(), store.enrollmentPath()})
        QVERIFY2(!QFile::exists(path), qPrintable(path));
}

void TestWizard::statusPageRenews()
{
    const auto enrolled = runImprint({QStringLiteral("enroll"), QStringLiteral("--url"), m_serve->url(),
                                      QStringLiteral("--ca-pin"), m_serve->caPin(), QStringLiteral("--secret-file"),
                                      m_serve->secretFile(), QStringLiteral("--store-dir"), storeDir(),
                                      QStringLiteral("--root"), m_root});
    QVERIFY2(enrolled.exitCode == 0, enrolled.err.constData());
    const device::CredentialStore store(storeDir());
    auto before = device::inspect(store, QDateTime::currentDateTimeUtc());
    QVERIFY(before);

    auto wizard = makeWizard(m_serve->url());
    const QString summary = wizard->statusPage()->findChild<QLabel *>(QStringLiteral("summary"))->text();
    QVERIFY2(summary.contains(before->serverId), qPrintable(summary));
    QVERIFY(wizard->statusPage()->renewChoice()->isVisible());
    QVERIFY(wizard->statusPage()->renewChoice()->isChecked());
    clickNext(*wizard);
    // Renewal trusts the stored CA: no pin to type.
    QVERIFY(!wizard->servicePage()->pinEdit()->isVisible());
    QTest::mouseClick(wizard->servicePage()->checkButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(wizard->servicePage()->isComplete(), kNetworkTimeoutMs);
    clickNext(*wizard);
    QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(EnrollmentWizard::ResultPageId), kNetworkTimeoutMs);
    QVERIFY2(wizard->resultPage()->succeeded(), qPrintable(wizard->resultPage()->detailsLabel()->text()));
    QVERIFY(wizard->resultPage()->headline()->text().contains(QStringLiteral("renewed")));
    auto after = device::inspect(store, QDateTime::currentDateTimeUtc());
    QVERIFY(after);
    QCOMPARE(after->serverId, before->serverId);
    QVERIFY(after->serial != before->serial);
}

void TestWizard::fitsATouchScreen()
{
    auto wizard = makeWizard(m_serve->url(), m_serve->caPin());
    wizard->resize(800, 480);
    const QList<int> pages = wizard->pageIds();
    for (int id : pages) {
        QWizardPage *page = wizard->page(id);
        // Every page's content fits 800x480 (and the whole wizard too, checked below).
        const QSize needed = page->minimumSizeHint();
        QVERIFY2(needed.width() <= 800 && needed.height() <= 480,
                 qPrintable(QStringLiteral("%1 needs %2x%3")
                                .arg(page->objectName())
                                .arg(needed.width())
                                .arg(needed.height())));
        // Large enough targets for a finger, and no control that only works on hover.
        for (QAbstractButton *button : page->findChildren<QAbstractButton *>())
            QVERIFY2(button->sizeHint().height() >= 40, qPrintable(button->objectName() + button->text()));
        for (QLineEdit *edit : page->findChildren<QLineEdit *>())
            QVERIFY2(edit->sizeHint().height() >= 40, qPrintable(edit->objectName()));
    }
    QVERIFY(wizard->button(QWizard::NextButton)->sizeHint().height() >= 40);
    QVERIFY(wizard->minimumSizeHint().width() <= 800 && wizard->minimumSizeHint().height() <= 480);
}

void TestWizard::germanWizard()
{
    ui::installTranslators(*qApp, QLocale(QLocale::German));
    auto wizard = makeWizard();
    const QString summary = wizard->statusPage()->findChild<QLabel *>(QStringLiteral("summary"))->text();
    QVERIFY2(summary.contains(QStringLiteral("nicht registriert")), qPrintable(summary));
    QCOMPARE(wizard->servicePage()->title(), QStringLiteral("Dienst"));
    QCOMPARE(wizard->credentialsPage()->showButton()->text(), QStringLiteral("Anzeigen"));
    device::DeviceError refused = device::DeviceError::make(device::DeviceError::Kind::Http, {});
    refused.httpStatus = 401;
    QCOMPARE(Texts::failureTitle(refused), QStringLiteral("Der Dienst hat das Build-Geheimnis abgelehnt"));
    ui::installTranslators(*qApp, QLocale(QLocale::English));
}

void TestWizard::screenshots()
{
    const QString target = qEnvironmentVariable("IMPRINT_SCREENSHOTS");
    QTemporaryDir scratch;
    const QString directory = target.isEmpty() ? scratch.path() : target;
    QVERIFY(QDir().mkpath(directory));
    for (const QLocale &locale : {QLocale(QLocale::English), QLocale(QLocale::German)}) {
        ui::installTranslators(*qApp, locale);
        const QString suffix = locale.language() == QLocale::German ? QStringLiteral("-de") : QString();
        QVERIFY(QDir(storeDir()).removeRecursively());
        auto wizard = makeWizard();
        wizard->resize(800, 480);
        auto shoot = [&](const char *name) {
            QCoreApplication::processEvents();
            const QImage image = wizard->grab().toImage();
            QVERIFY(!image.isNull());
            const QString path = QDir(directory).filePath(QStringLiteral("wizard-%1%2.png").arg(QLatin1String(name), suffix));
            QVERIFY2(image.save(path), qPrintable(path));
        };
        shoot("1-status");
        checkService(*wizard, m_serve->url(), m_serve->caPin(), true);
        shoot("2-service");
        clickNext(*wizard);
        typeInto(wizard->identityPage()->hostnameEdit(), QStringLiteral("kiosk-lobby-01"));
        shoot("3-identity");
        clickNext(*wizard);
        typeInto(wizard->credentialsPage()->secretEdit(), QStringLiteral("not-the-secret"));
        shoot("4-credentials");
        // The enrolling page, caught at its sending step.
        bool shot = false;
        connect(wizard->enrollingPage(), &wizard::EnrollingPage::stepChanged, this,
                [&](device::Enrollment::Step step) {
                    if (step == device::Enrollment::Step::Sending && !shot) {
                        shot = true;
                        shoot("5-enrolling");
                    }
                });
        clickNext(*wizard);
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(EnrollmentWizard::ResultPageId), kNetworkTimeoutMs);
        QVERIFY(shot);
        shoot("6-result-failed");
        QTest::mouseClick(wizard->resultPage()->retryButton(), Qt::LeftButton);
        enrollWithSecret(*wizard, QStringLiteral("test-build-secret"));
        QVERIFY(wizard->resultPage()->succeeded());
        shoot("6-result");
    }
    ui::installTranslators(*qApp, QLocale(QLocale::English));
}

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
