// The console's models over a real SQLite registry filled by the test: every operation
// runs under QAbstractItemModelTester, and filtering, sorting, search, lazy fetching and
// the selection-preserving refresh return the rows they should.
#include "common/clock.h"
#include "common/translations.h"
#include "console/csvexport.h"
#include "console/devicetablemodel.h"
#include "console/historymodels.h"
#include "storage/registry.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QItemSelectionModel>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace imprint;
using console::DeviceTableModel;
using console::StatusFilter;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
constexpr qint64 kDay = 86400;

struct Spec {
    const char *serverId;
    const char *hostname;
    const char *os;
    qint64 daysLeft; // of the current certificate
    bool revoked;
    qint64 lastSeenDaysAgo; // -1: never
};

// Host names sort differently from server ids and from expiry, so that each sort shows.
const Spec kFleet[] = {
    {"srv_0a", "kiosk-berlin-01", "linux", 200, false, 1},
    {"srv_0b", "kiosk-berlin-02", "linux", 20, false, 2},   // renewal due
    {"srv_0c", "pos-vienna-01", "windows", -3, false, 10},  // expired
    {"srv_0d", "gateway-lyon-01", "linux", 90, true, -1},   // revoked
    {"srv_0e", "signage-porto-07", "linux", 300, false, 0},
    {"srv_0f", "kiosk-zurich-11", "linux", 5, false, 3},    // renewal due
    {"srv_10", "server-milan-01", "linux", 150, false, -1},
    {"srv_11", "pos-hamburg-02", "windows", 365, false, 4},
    {"srv_12", "kiosk-munich-03", "linux", -40, false, 50}, // expired
    {"srv_13", "Kiosk, lobby \"A\"", "linux", 120, false, 6},
    {"srv_14", "gateway-porto-02", "linux", 60, true, 8},   // revoked
    {"srv_15", "kiosk-lyon-05", "linux", 250, false, 9},
};

bool isDone(const Result<storage::WriteOutcome> &outcome)
{
    return outcome && outcome.value() == storage::WriteOutcome::Done;
}

QString serialOf(const QString &serverId, int generation)
{
    return QStringLiteral("a%1%2").arg(serverId.mid(4)).arg(generation, 4, 10, QLatin1Char('0'));
}

} // namespace

class TestConsoleModel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void columnsShowTheRecord();
    void lazyFetchLoadsPages();
    void sortsInSql_data();
    void sortsInSql();
    void searchMatchesEachField_data();
    void searchMatchesEachField();
    void statusFilters_data();
    void statusFilters();
    void expiryStateAndColour();
    void refreshInsertsRemovesAndKeepsSelection();
    void refreshMovesSelectionWithItsDevice();
    void refreshFailureKeepsRows();
    void limitedRefreshLeavesRowsBelow();
    void csvExportsTheWholeView();
    void historyModels();

private:
    void addDevice(const Spec &spec, int renewals = 0);
    QStringList hostnames() const;
    QStringList serverIds() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::Registry> m_registry;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<DeviceTableModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestConsoleModel::initTestCase()
{
    // As main() does: English plural forms ("1 day", "20 days").
    ui::installTranslators(*QCoreApplication::instance(), QLocale(QLocale::English));
}

void TestConsoleModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    auto registry = storage::Registry::open(
        storage::parseDatabaseUrl(m_dir->filePath(QStringLiteral("registry.db"))).value());
    QVERIFY2(registry, qPrintable(registry.ok() ? QString() : registry.errorMessage()));
    m_registry = std::move(registry).value();
    for (const Spec &spec : kFleet)
        addDevice(spec, spec.serverId == std::string_view("srv_0b") ? 2 : 0);
    m_clock = std::make_unique<ManualClock>(kNow);
    m_model = std::make_unique<DeviceTableModel>(*m_registry, *m_clock);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(m_model->reload());
}

void TestConsoleModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_registry.reset();
    m_dir.reset();
}

void TestConsoleModel::addDevice(const Spec &spec, int renewals)
{
    storage::DeviceRecord device;
    device.serverId = QLatin1String(spec.serverId);
    device.fingerprint = QStringLiteral("sha256:fp") + device.serverId;
    device.hostname = QString::fromUtf8(spec.hostname);
    device.os = QLatin1String(spec.os);
    device.arch = QStringLiteral("amd64");
    const QDateTime notAfter = kNow.addSecs(spec.daysLeft * kDay + 3600);
    if (spec.lastSeenDaysAgo >= 0) {
        device.lastSeenAt = kNow.addSecs(-spec.lastSeenDaysAgo * kDay);
        device.lastAddress = QStringLiteral("10.0.0.%1").arg(spec.lastSeenDaysAgo + 1);
    }
    // The first certificate, then `renewals` renewals, each a year apart.
    auto certificateOf = [&](int generation) {
        storage::CertificateRecord certificate;
        certificate.serial = serialOf(device.serverId, generation);
        certificate.notAfter = notAfter.addSecs(-(renewals - generation) * 365 * kDay);
        certificate.notBefore = certificate.notAfter.addSecs(-365 * kDay);
        certificate.issuedAt = certificate.notBefore;
        certificate.how = generation == 0 ? storage::IssuedHow::Enroll : storage::IssuedHow::Renew;
        return certificate;
    };
    storage::CertificateRecord first = certificateOf(0);
    storage::EventRecord event{0, first.issuedAt, {}, storage::EventKind::Enroll, QStringLiteral("device"), {}, {}};
    QVERIFY(isDone(m_registry->recordEnrollment(device, first, true, event)));
    for (int generation = 1; generation <= renewals; ++generation) {
        storage::CertificateRecord next = certificateOf(generation);
        storage::EventRecord renewed{0, next.issuedAt, {}, storage::EventKind::Renew, QStringLiteral("device"), {}, {}};
        QVERIFY(isDone(m_registry->recordRenewal(device.serverId, serialOf(device.serverId, generation - 1), next, renewed)));
    }
    if (spec.revoked) {
        QVERIFY(isDone(m_registry->revoke(device.serverId, QStringLiteral("stolen"), QStringLiteral("operator:test"), kNow)));
    }
}

QStringList TestConsoleModel::hostnames() const
{
    QStringList names;
    for (int row = 0; row < m_model->rowCount(); ++row)
        names << m_model->index(row, DeviceTableModel::HostnameColumn).data().toString();
    return names;
}

QStringList TestConsoleModel::serverIds() const
{
    QStringList ids;
    for (int row = 0; row < m_model->rowCount(); ++row)
        ids << m_model->index(row, 0).data(DeviceTableModel::ServerIdRole).toString();
    return ids;
}

void TestConsoleModel::columnsShowTheRecord()
{
    QCOMPARE(m_model->columnCount(), int(DeviceTableModel::ColumnCount));
    QCOMPARE(m_model->totalCount(), qint64(std::size(kFleet)));
    const QModelIndex index = m_model->indexOfServerId(QStringLiteral("srv_0b"));
    QVERIFY(index.isValid());
    auto cell = [&](int column) { return m_model->index(index.row(), column).data().toString(); };
    QCOMPARE(cell(DeviceTableModel::ServerIdColumn), QStringLiteral("srv_0b"));
    QCOMPARE(cell(DeviceTableModel::HostnameColumn), QStringLiteral("kiosk-berlin-02"));
    QCOMPARE(cell(DeviceTableModel::PlatformColumn), QStringLiteral("linux/amd64"));
    QCOMPARE(cell(DeviceTableModel::StatusColumn), QStringLiteral("active"));
    QCOMPARE(cell(DeviceTableModel::SerialColumn), serialOf(QStringLiteral("srv_0b"), 2));
    QCOMPARE(cell(DeviceTableModel::ExpiresColumn), QStringLiteral("20 days left"));
    QCOMPARE(cell(DeviceTableModel::LastAddressColumn), QStringLiteral("10.0.0.3"));
    QVERIFY(!cell(DeviceTableModel::RenewedColumn).isEmpty());
    QVERIFY(cell(DeviceTableModel::RenewedColumn) != QStringLiteral("never"));
    // A device never seen says so.
    const QModelIndex never = m_model->indexOfServerId(QStringLiteral("srv_10"));
    QCOMPARE(m_model->index(never.row(), DeviceTableModel::LastSeenColumn).data().toString(), QStringLiteral("never"));
    // An expired certificate says how long ago.
    const QModelIndex expired = m_model->indexOfServerId(QStringLiteral("srv_12"));
    QCOMPARE(m_model->index(expired.row(), DeviceTableModel::ExpiresColumn).data().toString(),
             QStringLiteral("expired 40 days ago"));
    QCOMPARE(m_model->headerData(DeviceTableModel::ExpiresColumn, Qt::Horizontal).toString(), QStringLiteral("Expires"));
}

void TestConsoleModel::lazyFetchLoadsPages()
{
    // QAbstractItemModelTester itself calls fetchMore() on every change, so the pages are
    // counted on a model it does not watch.
    m_tester.reset();
    m_model->setPageSize(5);
    QVERIFY(m_model->reload());
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(m_model->totalCount(), qint64(12));
    QVERIFY(m_model->canFetchMore({}));
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), 10);
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), 12);
    QVERIFY(!m_model->canFetchMore({}));
    // The pages join in order, without gaps or repeats.
    QStringList expected = hostnames();
    QStringList sorted = expected;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(expected, sorted);
    QCOMPARE(QSet<QString>(expected.begin(), expected.end()).size(), 12);
}

void TestConsoleModel::sortsInSql_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QStringList>("firstThree");
    QTest::newRow("hostname asc") << int(DeviceTableModel::HostnameColumn) << int(Qt::AscendingOrder)
                                  << QStringList{"Kiosk, lobby \"A\"", "gateway-lyon-01", "gateway-porto-02"};
    QTest::newRow("hostname desc") << int(DeviceTableModel::HostnameColumn) << int(Qt::DescendingOrder)
                                   << QStringList{"signage-porto-07", "server-milan-01", "pos-vienna-01"};
    QTest::newRow("expires asc") << int(DeviceTableModel::ExpiresColumn) << int(Qt::AscendingOrder)
                                 << QStringList{"kiosk-munich-03", "pos-vienna-01", "kiosk-zurich-11"};
    QTest::newRow("expires desc") << int(DeviceTableModel::ExpiresColumn) << int(Qt::DescendingOrder)
                                  << QStringList{"pos-hamburg-02", "signage-porto-07", "kiosk-lyon-05"};
    QTest::newRow("server id desc") << int(DeviceTableModel::ServerIdColumn) << int(Qt::DescendingOrder)
                                    << QStringList{"kiosk-lyon-05", "gateway-porto-02", "Kiosk, lobby \"A\""};
    // Never-seen devices come first in ascending order.
    QTest::newRow("last seen asc") << int(DeviceTableModel::LastSeenColumn) << int(Qt::AscendingOrder)
                                   << QStringList{"gateway-lyon-01", "server-milan-01", "kiosk-munich-03"};
    QTest::newRow("status desc") << int(DeviceTableModel::StatusColumn) << int(Qt::DescendingOrder)
                                 << QStringList{"gateway-porto-02", "gateway-lyon-01", "kiosk-lyon-05"};
}

void TestConsoleModel::sortsInSql()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QStringList, firstThree);
    m_model->sort(column, Qt::SortOrder(order));
    QCOMPARE(m_model->sortColumn(), column);
    QCOMPARE(hostnames().mid(0, 3), firstThree);
    QCOMPARE(m_model->rowCount(), 12);
}

void TestConsoleModel::searchMatchesEachField_data()
{
    QTest::addColumn<QString>("search");
    QTest::addColumn<QStringList>("expected"); // server ids, in host name order
    QTest::newRow("hostname substring") << "berlin" << QStringList{"srv_0a", "srv_0b"};
    QTest::newRow("case-insensitive") << "KIOSK-B" << QStringList{"srv_0a", "srv_0b"};
    QTest::newRow("server id") << "srv_0f" << QStringList{"srv_0f"};
    QTest::newRow("fingerprint") << "fpsrv_11" << QStringList{"srv_11"};
    QTest::newRow("current serial") << serialOf(QStringLiteral("srv_0b"), 2) << QStringList{"srv_0b"};
    QTest::newRow("superseded serial") << serialOf(QStringLiteral("srv_0b"), 0) << QStringList{"srv_0b"};
    QTest::newRow("wildcards are literal") << "%" << QStringList{};
    QTest::newRow("quote and comma") << "lobby \"A\"" << QStringList{"srv_13"};
    QTest::newRow("no match") << "nothing-like-this" << QStringList{};
}

void TestConsoleModel::searchMatchesEachField()
{
    QFETCH(QString, search);
    QFETCH(QStringList, expected);
    m_model->setSearch(search);
    QCOMPARE(serverIds(), expected);
    QCOMPARE(m_model->totalCount(), qint64(expected.size()));
    m_model->setSearch(QString());
    QCOMPARE(m_model->rowCount(), 12);
}

void TestConsoleModel::statusFilters_data()
{
    QTest::addColumn<int>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("all") << int(StatusFilter::All)
                         << QStringList{"srv_13", "srv_0d", "srv_14", "srv_0a", "srv_0b", "srv_15",
                                        "srv_12", "srv_0f", "srv_11", "srv_0c", "srv_10", "srv_0e"};
    QTest::newRow("active") << int(StatusFilter::Active)
                            << QStringList{"srv_13", "srv_0a", "srv_0b", "srv_15", "srv_12", "srv_0f",
                                           "srv_11", "srv_0c", "srv_10", "srv_0e"};
    QTest::newRow("revoked") << int(StatusFilter::Revoked) << QStringList{"srv_0d", "srv_14"};
    QTest::newRow("pending") << int(StatusFilter::Pending) << QStringList{};
    QTest::newRow("expiring soon") << int(StatusFilter::ExpiringSoon) << QStringList{"srv_0b", "srv_0f"};
    QTest::newRow("expired") << int(StatusFilter::Expired) << QStringList{"srv_12", "srv_0c"};
}

void TestConsoleModel::statusFilters()
{
    QFETCH(int, filter);
    QFETCH(QStringList, expected);
    m_model->setStatusFilter(StatusFilter(filter));
    QCOMPARE(serverIds(), expected);
    // Search and filter combine.
    m_model->setSearch(QStringLiteral("kiosk"));
    for (const QString &id : serverIds())
        QVERIFY(expected.contains(id));
}

void TestConsoleModel::expiryStateAndColour()
{
    auto stateOf = [&](const char *id) {
        return DeviceTableModel::ExpiryState(
            m_model->indexOfServerId(QLatin1String(id)).data(DeviceTableModel::ExpiryStateRole).toInt());
    };
    auto background = [&](const char *id) {
        const QModelIndex row = m_model->indexOfServerId(QLatin1String(id));
        return m_model->index(row.row(), DeviceTableModel::ExpiresColumn).data(Qt::BackgroundRole);
    };
    QCOMPARE(stateOf("srv_0a"), DeviceTableModel::ExpiryState::Valid);
    QCOMPARE(stateOf("srv_0b"), DeviceTableModel::ExpiryState::RenewalDue);
    QCOMPARE(stateOf("srv_0c"), DeviceTableModel::ExpiryState::Expired);
    QVERIFY(!background("srv_0a").isValid());
    QVERIFY(background("srv_0b").isValid());
    QVERIFY(background("srv_0c").isValid());
    QVERIFY(background("srv_0b") != background("srv_0c"));
    // Revoked devices are greyed, not coloured by expiry.
    QVERIFY(!background("srv_0d").isValid());
    QVERIFY(m_model->indexOfServerId(QStringLiteral("srv_0d")).data(Qt::ForegroundRole).isValid());

    // Time moves on (injected clock): srv_0a enters its renewal window.
    m_clock->advance(190 * kDay);
    QVERIFY(m_model->refresh());
    QCOMPARE(stateOf("srv_0a"), DeviceTableModel::ExpiryState::RenewalDue);
    QCOMPARE(stateOf("srv_0b"), DeviceTableModel::ExpiryState::Expired);
}

void TestConsoleModel::refreshInsertsRemovesAndKeepsSelection()
{
    QItemSelectionModel selection(m_model.get());
    const QModelIndex selected = m_model->indexOfServerId(QStringLiteral("srv_0e")); // signage-porto-07, last
    selection.setCurrentIndex(selected, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const int rowBefore = selected.row();

    // Two devices sorting before it arrive, one before it goes.
    addDevice({"srv_20", "atm-bern-01", "linux", 100, false, 0});
    addDevice({"srv_21", "kiosk-aachen-01", "linux", 100, false, 0});
    QVERIFY(isDone(m_registry->deleteDevice(QStringLiteral("srv_0a"), QStringLiteral("operator:test"), kNow)));
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(m_model->refresh());
    QCOMPARE(reset.count(), 0); // reconciled, not reset
    QCOMPARE(m_model->rowCount(), 13);
    QVERIFY(!m_model->indexOfServerId(QStringLiteral("srv_0a")).isValid());
    QVERIFY(m_model->indexOfServerId(QStringLiteral("srv_20")).isValid());
    QCOMPARE(m_model->indexOfServerId(QStringLiteral("srv_20")).row(), 1);

    // The selection followed its device to its new row.
    QCOMPARE(selection.currentIndex().data(DeviceTableModel::ServerIdRole).toString(), QStringLiteral("srv_0e"));
    QCOMPARE(selection.currentIndex().row(), rowBefore + 1);
    QVERIFY(selection.isRowSelected(rowBefore + 1, {}));
    QCOMPARE(selection.selectedRows().size(), 1);
}

void TestConsoleModel::refreshMovesSelectionWithItsDevice()
{
    m_model->sort(DeviceTableModel::LastSeenColumn, Qt::DescendingOrder);
    QItemSelectionModel selection(m_model.get());
    const QModelIndex selected = m_model->indexOfServerId(QStringLiteral("srv_12")); // seen 50 days ago
    selection.setCurrentIndex(selected, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(selected.row() > 0);
    // It calls in: it now sorts first, and its row's data changes.
    QVERIFY(m_registry->recordLastSeen({{QStringLiteral("srv_12"), kNow.addSecs(60), QStringLiteral("10.9.9.9")}}));
    QSignalSpy moved(m_model.get(), &QAbstractItemModel::layoutChanged);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->refresh());
    QCOMPARE(moved.count(), 1);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(selection.currentIndex().row(), 0);
    QCOMPARE(selection.currentIndex().data(DeviceTableModel::ServerIdRole).toString(), QStringLiteral("srv_12"));
    QCOMPARE(m_model->index(0, DeviceTableModel::LastAddressColumn).data().toString(), QStringLiteral("10.9.9.9"));
}

void TestConsoleModel::refreshFailureKeepsRows()
{
    QSignalSpy errors(m_model.get(), &DeviceTableModel::errorOccurred);
    m_registry->close();
    QVERIFY(!m_model->refresh());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(m_model->rowCount(), 12);
    QCOMPARE(m_model->index(0, DeviceTableModel::HostnameColumn).data().toString(), QStringLiteral("Kiosk, lobby \"A\""));
}

void TestConsoleModel::limitedRefreshLeavesRowsBelow()
{
    m_model->setPageSize(3);
    m_model->setRefreshLimit(4);
    QVERIFY(m_model->reload());
    while (m_model->canFetchMore({}))
        m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), 12);
    const QString fourth = m_model->index(3, 0).data(DeviceTableModel::ServerIdRole).toString();
    const QString last = m_model->index(11, 0).data(DeviceTableModel::ServerIdRole).toString();

    // A device that sorts first arrives; the limited refresh re-reads rows 0-3 only.
    addDevice({"srv_30", "AAA-first", "linux", 100, false, 0});
    QVERIFY(m_model->refresh(DeviceTableModel::RefreshScope::Limited));
    QCOMPARE(m_model->index(0, 0).data(DeviceTableModel::ServerIdRole).toString(), QStringLiteral("srv_30"));
    // The old fourth row was pushed out of the re-read prefix; the rows below are kept.
    QVERIFY(!m_model->indexOfServerId(fourth).isValid());
    QVERIFY(m_model->indexOfServerId(last).isValid());
    // Fetching more finds nothing new and stops, rather than asking forever.
    while (m_model->canFetchMore({}))
        m_model->fetchMore({});
    QVERIFY(!m_model->canFetchMore({}));
    QSet<QString> ids;
    for (const QString &id : serverIds())
        ids.insert(id);
    QCOMPARE(ids.size(), m_model->rowCount()); // no device twice

    // A full refresh (F5) re-reads everything loaded.
    QVERIFY(m_model->refresh(DeviceTableModel::RefreshScope::AllLoaded));
    QCOMPARE(m_model->totalCount(), qint64(13));
    QVERIFY(m_model->indexOfServerId(fourth).isValid());
    while (m_model->canFetchMore({}))
        m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), 13);
    QStringList names = hostnames();
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(names, sorted);
}

void TestConsoleModel::csvExportsTheWholeView()
{
    m_tester.reset(); // it would fetch every page (see lazyFetchLoadsPages)
    m_model->setPageSize(3); // export is not limited to the loaded rows
    m_model->setStatusFilter(StatusFilter::Active);
    m_model->sort(DeviceTableModel::HostnameColumn, Qt::AscendingOrder);
    QCOMPARE(m_model->rowCount(), 3);
    const QString path = m_dir->filePath(QStringLiteral("devices.csv"));
    QVERIFY(console::exportDevicesCsv(*m_registry, m_model->currentFilter(), path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 1 + 10 + 1); // header, 10 active devices, empty after the last CRLF
    QVERIFY(lines.at(0).startsWith("server_id,hostname,os,arch,status,current_serial,not_after,"));
    QVERIFY(lines.at(0).endsWith("\r"));
    // The quoted host name, with its quotes doubled, comes first in this order.
    QVERIFY2(lines.at(1).startsWith("srv_13,\"Kiosk, lobby \"\"A\"\"\",linux,amd64,active,"), lines.at(1).constData());
    QVERIFY(lines.at(2).startsWith("srv_0a,kiosk-berlin-01,"));
    QVERIFY(lines.at(2).contains(",2026-12-18T13:00:00Z,"));
    QCOMPARE(console::csvField(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(console::csvField(QStringLiteral("two\nlines")), QStringLiteral("\"two\nlines\""));
    // A host name is what the device sent: a spreadsheet must not run it as a formula.
    QCOMPARE(console::csvField(QStringLiteral("=HYPERLINK(\"http://x\")")),
             QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\")\""));
    QCOMPARE(console::csvField(QStringLiteral("+1")), QStringLiteral("'+1"));
    QCOMPARE(console::csvField(QStringLiteral("-1")), QStringLiteral("'-1"));
    QCOMPARE(console::csvField(QStringLiteral("@SUM(A1)")), QStringLiteral("'@SUM(A1)"));
    QCOMPARE(console::csvField(QStringLiteral("kiosk=1")), QStringLiteral("kiosk=1"));
    QCOMPARE(console::csvField(QString()), QString());
}

void TestConsoleModel::historyModels()
{
    console::CertificateHistoryModel certificates;
    QAbstractItemModelTester certificateTester(&certificates, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto history = m_registry->certificates(QStringLiteral("srv_0b"));
    QVERIFY(history);
    certificates.setCertificates(history.value(), serialOf(QStringLiteral("srv_0b"), 2));
    QCOMPARE(certificates.rowCount(), 3);
    QCOMPARE(certificates.index(0, 0).data().toString(), serialOf(QStringLiteral("srv_0b"), 2));
    QCOMPARE(certificates.index(0, console::CertificateHistoryModel::HowColumn).data().toString(), QStringLiteral("renewal"));
    QCOMPARE(certificates.index(0, console::CertificateHistoryModel::RevokedColumn).data().toString(), QStringLiteral("current"));
    QCOMPARE(certificates.index(2, console::CertificateHistoryModel::HowColumn).data().toString(), QStringLiteral("enrollment"));
    QCOMPARE(certificates.index(2, console::CertificateHistoryModel::RevokedColumn).data().toString(), QStringLiteral("superseded"));

    console::EventListModel events;
    QAbstractItemModelTester eventTester(&events, QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto logged = m_registry->events(QStringLiteral("srv_0d"), -1);
    QVERIFY(logged);
    events.setEvents(logged.value());
    QCOMPARE(events.rowCount(), 2);
    QCOMPARE(events.index(0, console::EventListModel::KindColumn).data().toString(), QStringLiteral("revoked"));
    QCOMPARE(events.index(0, console::EventListModel::DetailColumn).data().toString(), QStringLiteral("stolen"));
    QCOMPARE(events.index(0, console::EventListModel::ActorColumn).data().toString(), QStringLiteral("operator:test"));
    QCOMPARE(events.index(1, console::EventListModel::KindColumn).data().toString(), QStringLiteral("enrolled"));
}

QTEST_GUILESS_MAIN(TestConsoleModel)
#include "tst_console_model.moc"
