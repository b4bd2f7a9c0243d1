// The console window, offscreen, on the registry and CA of a running `imprint serve`:
// the revoke flow from the dialog to the service refusing the device, delete, the
// periodic refresh showing a device enrolled meanwhile, the CA panel, the overview, the
// German translation, and screenshots (into docs/ when IMPRINT_SCREENSHOTS is set).
#include "common/clock.h"
#include "common/translations.h"
#include "console/capanel.h"
#include "console/consolewindow.h"
#include "console/devicedetailswidget.h"
#include "console/devicetablemodel.h"
#include "console/historymodels.h"
#include "console/overviewpanel.h"
#include "console/revokedialog.h"
#include "storage/registry.h"
#include "support/fleetgenerator.h"
#include "support/serveprocess.h"
#include "support/testing.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using namespace imprint;
using namespace imprint::testing;
using console::ConsoleWindow;
using console::DeviceTableModel;

namespace {

// Runs `handle` on the next modal dialog once it is shown (exec() blocks the test).
void whenDialogOpens(std::function<void(QDialog *)> handle)
{
    QTimer::singleShot(0, qApp, [handle = std::move(handle)] {
        QTRY_VERIFY(QApplication::activeModalWidget() != nullptr);
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        handle(dialog);
    });
}

} // namespace

class TestConsoleWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void showsDevicesAndCa();
    void revokeCancelledChangesNothing();
    void revokeFlowReachesTheService();
    void deleteNeedsTheHostName();
    void refreshShowsNewEnrollment();
    void searchAndFilterFromTheToolbar();
    void overviewCounts();
    void germanWindow();
    void screenshots();

private:
    struct Device {
        QString serverId;
        QString hostname;
        QString storeDir;
    };
    Device enroll(const QString &hostname);
    ProcessResult deviceRequest(const Device &device);

    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<QTemporaryDir> m_devices;
    std::unique_ptr<ConsoleWindow> m_window;
    Device m_kiosk;
    Device m_spare;
};

void TestConsoleWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    ui::installTranslators(*qApp, QLocale(QLocale::English));
    m_serve = std::make_unique<ServeProcess>();
    QVERIFY2(m_serve->start(), qPrintable(m_serve->errorText()));
    m_devices = std::make_unique<QTemporaryDir>();
    m_kiosk = enroll(QStringLiteral("kiosk-lobby-01"));
    m_spare = enroll(QStringLiteral("kiosk-spare-02"));
    QVERIFY(!m_kiosk.serverId.isEmpty() && !m_spare.serverId.isEmpty());
}

void TestConsoleWindow::cleanupTestCase()
{
    QCOMPARE(m_serve->stop(), 0);
}

void TestConsoleWindow::init()
{
    m_window = std::make_unique<ConsoleWindow>(processClock());
    ConsoleWindow::Options options;
    options.refreshIntervalMs = 0;
    options.rememberLocations = false;
    m_window->setOptions(options);
    QString error;
    QVERIFY2(m_window->openRegistry(m_serve->databaseUrl(), &error), qPrintable(error));
    QVERIFY2(m_window->openCaDirectory(m_serve->caDir(), &error), qPrintable(error));
    m_window->resize(1200, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestConsoleWindow::cleanup()
{
    m_window.reset();
}

TestConsoleWindow::Device TestConsoleWindow::enroll(const QString &hostname)
{
    // Each device is its own machine: a root with its own machine-id.
    const QString base = m_devices->filePath(hostname);
    if (!makeMachineRoot(base + QStringLiteral("/root")))
        qWarning("cannot write the machine root of %s", qPrintable(hostname));
    const auto run = runImprint({QStringLiteral("enroll"), QStringLiteral("--url"), m_serve->url(),
                                 QStringLiteral("--ca-pin"), m_serve->caPin(), QStringLiteral("--secret-file"),
                                 m_serve->secretFile(), QStringLiteral("--store-dir"), base + QStringLiteral("/store"),
                                 QStringLiteral("--root"), base + QStringLiteral("/root"), QStringLiteral("--hostname"),
                                 hostname, QStringLiteral("--json")},
                                {}, m_serve->environment());
    if (run.exitCode != 0)
        qWarning() << run.err;
    return {QJsonDocument::fromJson(run.out).object().value(QStringLiteral("server_id")).toString(), hostname,
            base + QStringLiteral("/store")};
}

ProcessResult TestConsoleWindow::deviceRequest(const Device &device)
{
    return runImprint({QStringLiteral("request"), QStringLiteral("--store-dir"), device.storeDir,
                       m_serve->url() + QStringLiteral("/api/v1/device")},
                      {}, m_serve->environment());
}

void TestConsoleWindow::showsDevicesAndCa()
{
    DeviceTableModel *model = m_window->model();
    QVERIFY(model);
    const QModelIndex kiosk = model->indexOfServerId(m_kiosk.serverId);
    QVERIFY(kiosk.isValid());
    QCOMPARE(model->index(kiosk.row(), DeviceTableModel::HostnameColumn).data().toString(), m_kiosk.hostname);
    QCOMPARE(model->index(kiosk.row(), DeviceTableModel::StatusColumn).data().toString(), QStringLiteral("active"));

    // Selecting a device shows its details and its history.
    QVERIFY(m_window->selectServerId(m_kiosk.serverId));
    QCOMPARE(m_window->selectedServerId(), m_kiosk.serverId);
    QCOMPARE(m_window->details()->serverId(), m_kiosk.serverId);
    QCOMPARE(m_window->details()->certificateModel()->rowCount(), 1);
    QCOMPARE(m_window->details()->eventModel()->index(0, console::EventListModel::KindColumn).data().toString(),
             QStringLiteral("enrolled"));
    QVERIFY(m_window->revokeAction()->isEnabled());

    // The CA panel: the pin the service prints, and the copy button.
    m_window->tabs()->setCurrentWidget(m_window->caPanel());
    QCOMPARE(m_window->caPanel()->pin(), m_serve->caPin());
    auto *copy = m_window->caPanel()->findChild<QPushButton *>(QStringLiteral("copyPin"));
    QVERIFY(copy);
    QTest::mouseClick(copy, Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), m_serve->caPin());
    // The service's TLS certificate was issued by `imprint serve` into the CA directory.
    QVERIFY(m_window->caPanel()->findChildren<QLabel *>().size() > 3);
    bool mentionsServerCertificate = false;
    for (QLabel *label : m_window->caPanel()->findChildren<QLabel *>())
        mentionsServerCertificate |= label->text().contains(QStringLiteral(" days left); renewed by the service"));
    QVERIFY(mentionsServerCertificate);
}

void TestConsoleWindow::revokeCancelledChangesNothing()
{
    QVERIFY(m_window->selectServerId(m_spare.serverId));
    whenDialogOpens([](QDialog *dialog) { dialog->reject(); });
    m_window->revokeAction()->trigger();
    auto device = m_window->registry()->deviceByServerId(m_spare.serverId);
    QVERIFY(device && device.value());
    QVERIFY(device.value()->status == storage::DeviceStatus::Active);
    QCOMPARE(deviceRequest(m_spare).exitCode, 0);
}

void TestConsoleWindow::revokeFlowReachesTheService()
{
    // The device works before.
    const auto before = deviceRequest(m_kiosk);
    QVERIFY2(before.exitCode == 0, before.err.constData());

    QVERIFY(m_window->selectServerId(m_kiosk.serverId));
    const QString reason = QStringLiteral("kiosk stolen from the lobby");
    bool dialogChecked = false;
    whenDialogOpens([&](QDialog *dialog) {
        QVERIFY(qobject_cast<console::RevokeDialog *>(dialog));
        // The dialog names the device.
        bool named = false;
        for (QLabel *label : dialog->findChildren<QLabel *>())
            named |= label->text().contains(m_kiosk.hostname) && label->text().contains(m_kiosk.serverId);
        QVERIFY(named);
        auto *button = dialog->findChild<QPushButton *>(QStringLiteral("revokeButton"));
        auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("reason"));
        QVERIFY(button && field);
        QVERIFY(!button->isEnabled()); // no revocation without a reason
        QTest::keyClicks(field, reason);
        QVERIFY(button->isEnabled());
        dialogChecked = true;
        QTest::mouseClick(button, Qt::LeftButton);
    });
    QSignalSpy changed(m_window.get(), &ConsoleWindow::deviceChanged);
    // The keyboard shortcut, as an operator would.
    QTest::keyClick(m_window->tableView(), Qt::Key_R, Qt::ControlModifier);
    QVERIFY(dialogChecked);
    QCOMPARE(changed.count(), 1);

    // The row says so at once, and the action is no longer offered.
    const QModelIndex row = m_window->model()->indexOfServerId(m_kiosk.serverId);
    QCOMPARE(m_window->model()->index(row.row(), DeviceTableModel::StatusColumn).data().toString(),
             QStringLiteral("revoked"));
    QCOMPARE(m_window->selectedServerId(), m_kiosk.serverId);
    QVERIFY(!m_window->revokeAction()->isEnabled());
    // The reason is in the events, recorded as the operator's.
    auto events = m_window->registry()->events(m_kiosk.serverId, -1);
    QVERIFY(events);
    QCOMPARE(events->first().kind, QString(storage::EventKind::Revoke));
    QCOMPARE(events->first().detail, reason);
    QVERIFY(events->first().actor.startsWith(QStringLiteral("operator:")));
    QCOMPARE(m_window->details()->eventModel()->index(0, console::EventListModel::DetailColumn).data().toString(), reason);

    // The service refuses the device's certificate from now on.
    const auto after = deviceRequest(m_kiosk);
    QCOMPARE(after.exitCode, 1);
    QVERIFY2(after.err.contains("401") || after.out.contains("401"), (after.out + after.err).constData());
}

void TestConsoleWindow::deleteNeedsTheHostName()
{
    const Device doomed = enroll(QStringLiteral("kiosk-doomed-03"));
    QVERIFY(!doomed.serverId.isEmpty());
    m_window->refresh();
    QVERIFY(m_window->selectServerId(doomed.serverId));
    bool checked = false;
    whenDialogOpens([&](QDialog *dialog) {
        auto *button = dialog->findChild<QPushButton *>(QStringLiteral("deleteButton"));
        auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("confirmation"));
        QVERIFY(button && field);
        QTest::keyClicks(field, QStringLiteral("kiosk-doomed"));
        QVERIFY(!button->isEnabled());
        QTest::keyClicks(field, QStringLiteral("-03"));
        QVERIFY(button->isEnabled());
        checked = true;
        QTest::mouseClick(button, Qt::LeftButton);
    });
    m_window->deleteAction()->trigger();
    QVERIFY(checked);
    auto gone = m_window->registry()->deviceByServerId(doomed.serverId);
    QVERIFY(gone);
    QVERIFY(!gone.value().has_value());
    QVERIFY(!m_window->model()->indexOfServerId(doomed.serverId).isValid());
}

void TestConsoleWindow::refreshShowsNewEnrollment()
{
    QVERIFY(m_window->selectServerId(m_spare.serverId));
    m_window->setRefreshInterval(100);
    // Sorts before the selected device, so that the selection has to move.
    const Device fresh = enroll(QStringLiteral("atm-entrance-04"));
    QVERIFY(!fresh.serverId.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->model()->indexOfServerId(fresh.serverId).isValid(), 20000);
    QCOMPARE(m_window->selectedServerId(), m_spare.serverId);
    QCOMPARE(m_window->details()->serverId(), m_spare.serverId);
}

void TestConsoleWindow::searchAndFilterFromTheToolbar()
{
    QTest::keyClicks(m_window->searchEdit(), QStringLiteral("SPARE"));
    QTest::keyClick(m_window->searchEdit(), Qt::Key_Return);
    QCOMPARE(m_window->model()->rowCount(), 1);
    QCOMPARE(m_window->model()->index(0, DeviceTableModel::HostnameColumn).data().toString(), m_spare.hostname);
    QVERIFY(m_window->statusMessage().contains(QStringLiteral("1 device matches")));
    m_window->searchEdit()->clear();
    QVERIFY(m_window->model()->rowCount() >= 2);
    QComboBox *filter = m_window->statusFilterBox();
    filter->setCurrentIndex(filter->findData(int(console::StatusFilter::Revoked)));
    for (int row = 0; row < m_window->model()->rowCount(); ++row) {
        QCOMPARE(m_window->model()->index(row, DeviceTableModel::StatusColumn).data().toString(),
                 QStringLiteral("revoked"));
    }
}

void TestConsoleWindow::overviewCounts()
{
    m_window->tabs()->setCurrentWidget(m_window->overview());
    auto counts = m_window->registry()->countByStatus();
    QVERIFY(counts);
    QCOMPARE(m_window->overview()->countsByStatus(), counts.value());
    QCOMPARE(m_window->overview()->expiriesPerWeek().size(), console::OverviewPanel::kWeeks);
    qint64 expiring = 0;
    for (const auto &week : m_window->overview()->expiriesPerWeek())
        expiring += week.second;
    // The service issues one-year certificates: none expire within 26 weeks.
    QCOMPARE(expiring, qint64(0));
}

void TestConsoleWindow::germanWindow()
{
    m_window.reset();
    ui::installTranslators(*qApp, QLocale(QLocale::German));
    {
        ConsoleWindow window(processClock());
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&Datei"));
        QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Geräte"));
        QCOMPARE(window.revokeAction()->text(), QStringLiteral("&Widerrufen..."));
        QString error;
        QVERIFY(window.openRegistry(m_serve->databaseUrl(), &error));
        QCOMPARE(window.model()->headerData(DeviceTableModel::ExpiresColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Läuft ab"));
    }
    ui::installTranslators(*qApp, QLocale(QLocale::English));
}

void TestConsoleWindow::screenshots()
{
    // A fleet worth looking at, beside the service's CA.
    QTemporaryDir fleetDir;
    const QString databaseUrl = QStringLiteral("sqlite://") + fleetDir.filePath(QStringLiteral("fleet.db"));
    {
        auto registry = storage::Registry::open(storage::parseDatabaseUrl(databaseUrl).value());
        QVERIFY(registry);
        FleetOptions options;
        options.devices = 400;
        options.now = QDateTime::currentDateTimeUtc();
        QVERIFY(generateFleet(*registry.value(), options));
    }
    const QString target = qEnvironmentVariable("IMPRINT_SCREENSHOTS");
    QTemporaryDir scratch;
    const QString directory = target.isEmpty() ? scratch.path() : target;
    QVERIFY(QDir().mkpath(directory));

    for (const QLocale &locale : {QLocale(QLocale::English), QLocale(QLocale::German)}) {
        ui::installTranslators(*qApp, locale);
        const QString suffix = locale.language() == QLocale::German ? QStringLiteral("-de") : QString();
        ConsoleWindow window(processClock());
        ConsoleWindow::Options options;
        options.refreshIntervalMs = 0;
        options.rememberLocations = false;
        window.setOptions(options);
        QString error;
        QVERIFY2(window.openRegistry(databaseUrl, &error), qPrintable(error));
        QVERIFY(window.openCaDirectory(m_serve->caDir(), &error));
        window.resize(1360, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.selectServerId(window.model()->index(3, 0).data(DeviceTableModel::ServerIdRole).toString()));
        for (const auto &[tab, name] : {std::pair{0, "console-devices"}, std::pair{1, "console-overview"},
                                        std::pair{2, "console-ca"}}) {
            window.tabs()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            const QImage image = window.grab().toImage();
            QVERIFY(!image.isNull());
            QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
            const QString path = QDir(directory).filePath(QLatin1String(name) + suffix + QStringLiteral(".png"));
            QVERIFY2(image.save(path), qPrintable(path));
        }
    }
    ui::installTranslators(*qApp, QLocale(QLocale::English));
}

QTEST_MAIN(TestConsoleWindow)
#include "tst_console_window.moc"
