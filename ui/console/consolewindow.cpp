#include "consolewindow.h"

#include "authority/certificateauthority.h"
#include "common/clock.h"
#include "console/capanel.h"
#include "console/csvexport.h"
#include "console/devicedetailswidget.h"
#include "console/devicetablemodel.h"
#include "console/overviewpanel.h"
#include "console/revokedialog.h"
#include "storage/databaseurl.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace imprint::console {

namespace {

constexpr int kSearchDelayMs = 300;
const auto kSettingsDatabase = QStringLiteral("console/databaseUrl");
const auto kSettingsCaDirectory = QStringLiteral("console/caDirectory");
const auto kSettingsGeometry = QStringLiteral("console/geometry");
const auto kSettingsSplitter = QStringLiteral("console/splitter");
const auto kSettingsHeader = QStringLiteral("console/header");

} // namespace

ConsoleWindow::ConsoleWindow(const Clock &clock, QWidget *parent) : QMainWindow(parent), m_clock(clock)
{
    setObjectName(QStringLiteral("consoleWindow"));
    setWindowTitle(tr("Imprint CA Console"));
    m_refreshTimer = new QTimer(this);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] { refresh(DeviceTableModel::RefreshScope::Limited); });
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(kSearchDelayMs);
    connect(m_searchTimer, &QTimer::timeout, this, &ConsoleWindow::applySearch);

    createActions();
    createCentralWidget();
    createMenus();
    createToolBar();
    m_countLabel = new QLabel(this);
    m_stateLabel = new QLabel(this);
    statusBar()->addWidget(m_countLabel, 1);
    statusBar()->addPermanentWidget(m_stateLabel);
    restoreLayout();
    setRefreshInterval(m_options.refreshIntervalMs);
    updateActions();
    updateStatusBar();
}

ConsoleWindow::~ConsoleWindow()
{
    // Children outlive the members: without this the view would still ask the model for
    // rows (from a geometry update during destruction) after the registry is gone.
    m_refreshTimer->stop();
    m_table->setModel(nullptr);
    delete m_model;
}

void ConsoleWindow::createActions()
{
    m_openSqliteAction = new QAction(tr("Open SQLite &database..."), this);
    m_openSqliteAction->setShortcut(QKeySequence::Open);
    connect(m_openSqliteAction, &QAction::triggered, this, &ConsoleWindow::chooseSqliteDatabase);
    m_openUrlAction = new QAction(tr("Open database &URL..."), this);
    connect(m_openUrlAction, &QAction::triggered, this, &ConsoleWindow::enterDatabaseUrl);
    m_openCaAction = new QAction(tr("Open &CA directory..."), this);
    connect(m_openCaAction, &QAction::triggered, this, &ConsoleWindow::chooseCaDirectory);
    m_newServiceAction = new QAction(tr("&New CA and database..."), this);
    m_newServiceAction->setShortcut(QKeySequence::New);
    connect(m_newServiceAction, &QAction::triggered, this, &ConsoleWindow::chooseNewServiceDirectory);
    m_exportAction = new QAction(tr("&Export view as CSV..."), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportAction, &QAction::triggered, this, &ConsoleWindow::chooseExportFile);
    m_quitAction = new QAction(tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_revokeAction = new QAction(tr("&Revoke..."), this);
    m_revokeAction->setObjectName(QStringLiteral("revokeAction"));
    m_revokeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_revokeAction->setToolTip(tr("Revoke the selected device (Ctrl+R)"));
    connect(m_revokeAction, &QAction::triggered, this, &ConsoleWindow::revokeSelected);
    m_deleteAction = new QAction(tr("&Delete record..."), this);
    m_deleteAction->setObjectName(QStringLiteral("deleteAction"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setToolTip(tr("Delete the record of a decommissioned device (Del)"));
    connect(m_deleteAction, &QAction::triggered, this, &ConsoleWindow::deleteSelected);
    m_refreshAction = new QAction(tr("Re&fresh"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    connect(m_refreshAction, &QAction::triggered, this, [this] { refresh(); });
    m_findAction = new QAction(tr("&Find"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_search->setFocus();
        m_search->selectAll();
    });
    m_copyServerIdAction = new QAction(tr("Copy server ID"), this);
    connect(m_copyServerIdAction, &QAction::triggered, this,
            [this] { copySelected(DeviceTableModel::ServerIdColumn); });
    m_copyFingerprintAction = new QAction(tr("Copy fingerprint"), this);
    connect(m_copyFingerprintAction, &QAction::triggered, this, [this] { copySelected(-1); });
    m_aboutAction = new QAction(tr("&About Imprint"), this);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Imprint"),
                           tr("Imprint %1\nDevice enrollment, certificate renewal and mutual-TLS authentication.")
                               .arg(QCoreApplication::applicationVersion()));
    });
    addAction(m_findAction);
}

void ConsoleWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newServiceAction);
    file->addAction(m_openSqliteAction);
    file->addAction(m_openUrlAction);
    file->addAction(m_openCaAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *device = menuBar()->addMenu(tr("&Device"));
    device->addAction(m_revokeAction);
    device->addAction(m_deleteAction);
    device->addSeparator();
    device->addAction(m_copyServerIdAction);
    device->addAction(m_copyFingerprintAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_findAction);
    view->addAction(m_refreshAction);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
}

void ConsoleWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Devices"));
    bar->setObjectName(QStringLiteral("devicesToolBar"));
    bar->setMovable(false);
    bar->addWidget(new QLabel(tr("Search:"), bar));
    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("host name, server ID, fingerprint or serial"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    bar->addWidget(m_search);
    connect(m_search, &QLineEdit::textEdited, this, [this] { m_searchTimer->start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &ConsoleWindow::applySearch);
    // The clear button changes the text without textEdited.
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            applySearch();
    });
    bar->addWidget(new QLabel(tr(" Show:"), bar));
    m_statusFilter = new QComboBox(bar);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->addItem(tr("All devices"), int(StatusFilter::All));
    m_statusFilter->addItem(tr("Active"), int(StatusFilter::Active));
    m_statusFilter->addItem(tr("Revoked"), int(StatusFilter::Revoked));
    m_statusFilter->addItem(tr("Pending"), int(StatusFilter::Pending));
    m_statusFilter->addItem(tr("Expiring soon"), int(StatusFilter::ExpiringSoon));
    m_statusFilter->addItem(tr("Expired"), int(StatusFilter::Expired));
    bar->addWidget(m_statusFilter);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        if (m_model)
            m_model->setStatusFilter(StatusFilter(m_statusFilter->currentData().toInt()));
        updateDetails();
        updateActions();
    });
    bar->addSeparator();
    bar->addAction(m_revokeAction);
    bar->addAction(m_deleteAction);
    bar->addAction(m_refreshAction);
    bar->addAction(m_exportAction);
}

void ConsoleWindow::createCentralWidget()
{
    m_tabs = new QTabWidget(this);
    m_splitter = new QSplitter(Qt::Horizontal, m_tabs);
    m_splitter->setObjectName(QStringLiteral("devicesSplitter"));
    m_table = new QTableView(m_splitter);
    m_table->setObjectName(QStringLiteral("devicesTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->hide();
    // Fixed row heights let the view scroll 100,000 rows without measuring each one.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSortIndicator(DeviceTableModel::HostnameColumn, Qt::AscendingOrder);
    connect(m_table, &QTableView::customContextMenuRequested, this, &ConsoleWindow::showContextMenu);
    m_details = new DeviceDetailsWidget(m_splitter);
    m_details->setObjectName(QStringLiteral("deviceDetails"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_tabs->addTab(m_splitter, tr("Devices"));

    m_overview = new OverviewPanel(m_tabs);
    m_tabs->addTab(m_overview, tr("Overview"));
    m_caPanel = new CaPanel(m_tabs);
    m_tabs->addTab(m_caPanel, tr("Certificate authority"));
    connect(m_caPanel, &CaPanel::openRequested, this, &ConsoleWindow::chooseCaDirectory);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { refreshSidePanels(); });
    setCentralWidget(m_tabs);
}

void ConsoleWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(kSettingsGeometry).toByteArray()))
        resize(1200, 720);
    m_splitter->restoreState(settings.value(kSettingsSplitter).toByteArray());
}

void ConsoleWindow::closeEvent(QCloseEvent *event)
{
    if (m_options.rememberLocations) {
        QSettings settings;
        settings.setValue(kSettingsGeometry, saveGeometry());
        settings.setValue(kSettingsSplitter, m_splitter->saveState());
        settings.setValue(kSettingsHeader, m_table->horizontalHeader()->saveState());
    }
    event->accept();
}

void ConsoleWindow::setOptions(const Options &options)
{
    m_options = options;
    setRefreshInterval(options.refreshIntervalMs);
}

void ConsoleWindow::setRefreshInterval(int milliseconds)
{
    m_options.refreshIntervalMs = milliseconds;
    if (milliseconds > 0)
        m_refreshTimer->start(milliseconds);
    else
        m_refreshTimer->stop();
}

bool ConsoleWindow::openRegistry(const QString &databaseUrl, QString *error)
{
    auto url = storage::parseDatabaseUrl(databaseUrl);
    if (!url) {
        if (error)
            *error = url.errorMessage();
        return false;
    }
    auto registry = storage::Registry::open(url.value(), QStringLiteral("console"));
    if (!registry) {
        if (error)
            *error = registry.errorMessage();
        return false;
    }
    // The old model refers to the old registry: replace both together.
    auto *model = new DeviceTableModel(*registry.value(), m_clock, this);
    connect(model, &DeviceTableModel::errorOccurred, this, &ConsoleWindow::showError);
    connect(model, &DeviceTableModel::countsChanged, this, &ConsoleWindow::updateStatusBar);
    const QHeaderView *header = m_table->horizontalHeader();
    model->setView(m_search->text(), StatusFilter(m_statusFilter->currentData().toInt()),
                   header->sortIndicatorSection(), header->sortIndicatorOrder());
    QPointer<DeviceTableModel> old = m_model;
    m_table->setModel(model);
    m_model = model;
    m_registry = std::move(registry).value();
    delete old;
    m_table->setSortingEnabled(true);
    if (m_options.rememberLocations) {
        const QByteArray headerState = QSettings().value(kSettingsHeader).toByteArray();
        if (!headerState.isEmpty())
            m_table->horizontalHeader()->restoreState(headerState);
    }
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetails();
        updateActions();
    });
    m_options.databaseUrl = databaseUrl;
    setWindowTitle(tr("Imprint CA Console - %1").arg(url->display()));
    remember();
    updateDetails();
    updateActions();
    updateStatusBar();
    refreshSidePanels();
    return true;
}

bool ConsoleWindow::openCaDirectory(const QString &directory, QString *error)
{
    QString message;
    const bool ok = m_caPanel->showDirectory(directory, m_clock.now(), &message);
    if (!ok) {
        if (error)
            *error = message;
        return false;
    }
    m_caDirectory = directory;
    m_options.caDirectory = directory;
    remember();
    return true;
}

bool ConsoleWindow::createService(const QString &directory, const QString &organization, QString *error)
{
    const QString caDirectory = QDir(directory).filePath(QStringLiteral("ca"));
    auto ca = authority::CertificateAuthority::create(caDirectory, organization, m_clock.now());
    if (!ca) {
        if (error)
            *error = ca.errorMessage();
        return false;
    }
    const QString databaseUrl = QStringLiteral("sqlite://") + QDir(directory).filePath(QStringLiteral("registry.db"));
    return openRegistry(databaseUrl, error) && openCaDirectory(caDirectory, error);
}

void ConsoleWindow::remember()
{
    if (!m_options.rememberLocations)
        return;
    QSettings settings;
    if (!m_options.databaseUrl.isEmpty())
        settings.setValue(kSettingsDatabase, m_options.databaseUrl);
    if (!m_caDirectory.isEmpty())
        settings.setValue(kSettingsCaDirectory, m_caDirectory);
}

bool ConsoleWindow::refresh(DeviceTableModel::RefreshScope scope)
{
    if (!m_model)
        return false;
    const bool ok = m_model->refresh(scope);
    if (ok) {
        m_stateLabel->setStyleSheet(QString());
        m_stateLabel->setText(tr("Updated %1").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    }
    updateDetails();
    updateActions();
    refreshSidePanels();
    return ok;
}

void ConsoleWindow::refreshSidePanels()
{
    QString error;
    if (m_tabs->currentWidget() == m_overview && m_registry) {
        if (!m_overview->refresh(*m_registry, m_clock.now(), kDefaultRenewalThresholdSeconds, &error))
            showError(error);
    } else if (m_tabs->currentWidget() == m_caPanel && !m_caDirectory.isEmpty()) {
        m_caPanel->showDirectory(m_caDirectory, m_clock.now());
    }
}

void ConsoleWindow::showError(const QString &message)
{
    m_stateLabel->setStyleSheet(QStringLiteral("color: #b71c1c;"));
    m_stateLabel->setText(message);
}

QString ConsoleWindow::statusMessage() const
{
    return m_countLabel->text() + QLatin1Char(' ') + m_stateLabel->text();
}

void ConsoleWindow::updateStatusBar()
{
    if (!m_model) {
        m_countLabel->setText(tr("No registry open. Use File > New CA and database, or File > Open."));
        return;
    }
    m_countLabel->setText(tr("%n device(s) match", nullptr, int(m_model->totalCount())));
}

std::optional<storage::DeviceRecord> ConsoleWindow::selectedDevice() const
{
    if (!m_model || !m_table->selectionModel())
        return std::nullopt;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const storage::DeviceRecord *device = current.isValid() ? m_model->deviceAt(current.row()) : nullptr;
    if (!device || !m_table->selectionModel()->isRowSelected(current.row(), {}))
        return std::nullopt;
    return *device;
}

QString ConsoleWindow::selectedServerId() const
{
    const auto device = selectedDevice();
    return device ? device->serverId : QString();
}

bool ConsoleWindow::selectServerId(const QString &serverId)
{
    if (!m_model)
        return false;
    QModelIndex index = m_model->indexOfServerId(serverId);
    while (!index.isValid() && m_model->canFetchMore({})) {
        m_model->fetchMore({});
        index = m_model->indexOfServerId(serverId);
    }
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void ConsoleWindow::updateDetails()
{
    const auto device = selectedDevice();
    QString error;
    if (!m_details->showDevice(m_registry.get(), device, m_clock.now(), &error))
        showError(error);
}

void ConsoleWindow::updateActions()
{
    const auto device = selectedDevice();
    m_revokeAction->setEnabled(device && device->status != storage::DeviceStatus::Revoked);
    m_deleteAction->setEnabled(device.has_value());
    m_copyServerIdAction->setEnabled(device.has_value());
    m_copyFingerprintAction->setEnabled(device.has_value());
    m_exportAction->setEnabled(m_model != nullptr);
    m_refreshAction->setEnabled(m_model != nullptr);
}

void ConsoleWindow::applySearch()
{
    m_searchTimer->stop();
    if (m_model)
        m_model->setSearch(m_search->text());
    updateDetails();
    updateActions();
}

void ConsoleWindow::revokeSelected()
{
    const auto device = selectedDevice();
    if (!device || !m_registry || device->status == storage::DeviceStatus::Revoked)
        return;
    RevokeDialog dialog(*device, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto outcome = m_registry->revoke(device->serverId, dialog.reason(), storage::operatorActor(), m_clock.now());
    if (!outcome) {
        QMessageBox::warning(this, tr("Revoke failed"),
                             tr("%1 was not revoked: %2").arg(device->serverId, outcome.errorMessage()));
        return;
    }
    if (outcome.value() == storage::WriteOutcome::NotFound) {
        QMessageBox::information(this, tr("Revoke"), tr("%1 no longer exists in the registry.").arg(device->serverId));
    }
    refresh();
    emit deviceChanged(device->serverId);
}

void ConsoleWindow::deleteSelected()
{
    const auto device = selectedDevice();
    if (!device || !m_registry)
        return;
    DeleteDialog dialog(*device, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto outcome = m_registry->deleteDevice(device->serverId, storage::operatorActor(), m_clock.now());
    if (!outcome) {
        QMessageBox::warning(this, tr("Delete failed"),
                             tr("The record of %1 was not deleted: %2").arg(device->serverId, outcome.errorMessage()));
        return;
    }
    refresh();
    emit deviceChanged(device->serverId);
}

bool ConsoleWindow::exportCsv(const QString &path, QString *error)
{
    if (!m_model || !m_registry)
        return false;
    const Status written = exportDevicesCsv(*m_registry, m_model->currentFilter(), path);
    if (!written && error)
        *error = written.errorMessage();
    return written.ok();
}

void ConsoleWindow::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QMenu menu(this);
    menu.addAction(m_revokeAction);
    menu.addAction(m_deleteAction);
    menu.addSeparator();
    menu.addAction(m_copyServerIdAction);
    menu.addAction(m_copyFingerprintAction);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

void ConsoleWindow::copySelected(int column)
{
    const auto device = selectedDevice();
    if (!device)
        return;
    QApplication::clipboard()->setText(column == DeviceTableModel::ServerIdColumn ? device->serverId
                                                                                   : device->fingerprint);
}

void ConsoleWindow::offerSetup()
{
    QMessageBox box(QMessageBox::Question, tr("Imprint CA Console"),
                    tr("No registry is open. Create a new CA and database (as 'imprint serve' does on first "
                       "start), or open existing ones?"),
                    QMessageBox::Cancel, this);
    QPushButton *create = box.addButton(tr("Create new..."), QMessageBox::AcceptRole);
    QPushButton *open = box.addButton(tr("Open existing..."), QMessageBox::ActionRole);
    box.setDefaultButton(create);
    box.exec();
    if (box.clickedButton() == static_cast<QAbstractButton *>(create)) {
        chooseNewServiceDirectory();
    } else if (box.clickedButton() == static_cast<QAbstractButton *>(open)) {
        chooseSqliteDatabase();
        if (m_caDirectory.isEmpty())
            chooseCaDirectory();
    }
}

void ConsoleWindow::chooseSqliteDatabase()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open registry"), QString(),
                                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openRegistry(QStringLiteral("sqlite://") + path, &error))
        QMessageBox::warning(this, tr("Open registry"), tr("Could not open %1: %2").arg(path, error));
}

void ConsoleWindow::enterDatabaseUrl()
{
    bool ok = false;
    const QString url = QInputDialog::getText(this, tr("Open database URL"),
                                              tr("Registry URL (postgresql://user@host:port/db or sqlite:///path):"),
                                              QLineEdit::Normal, m_options.databaseUrl, &ok);
    if (!ok || url.trimmed().isEmpty())
        return;
    QString error;
    if (!openRegistry(url.trimmed(), &error))
        QMessageBox::warning(this, tr("Open registry"), tr("Could not open the registry: %1").arg(error));
}

void ConsoleWindow::chooseCaDirectory()
{
    const QString directory = QFileDialog::getExistingDirectory(this, tr("Open CA directory"), m_caDirectory);
    if (directory.isEmpty())
        return;
    QString error;
    if (!openCaDirectory(directory, &error))
        QMessageBox::warning(this, tr("Open CA directory"), tr("Could not read a CA in %1: %2").arg(directory, error));
}

void ConsoleWindow::chooseNewServiceDirectory()
{
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Directory for the new CA and database"), m_options.newServiceDirectory);
    if (directory.isEmpty())
        return;
    bool ok = false;
    const QString organization =
        QInputDialog::getText(this, tr("New CA"), tr("Organisation named in the CA certificate:"), QLineEdit::Normal,
                              QLatin1String(authority::CertificateAuthority::kDefaultOrganization), &ok);
    if (!ok)
        return;
    QString error;
    if (!createService(directory, organization.trimmed(), &error))
        QMessageBox::warning(this, tr("New CA and database"), tr("Could not create them: %1").arg(error));
}

void ConsoleWindow::chooseExportFile()
{
    if (!m_model)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export devices"), QStringLiteral("devices.csv"),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export devices"), tr("Could not export: %1").arg(error));
    else
        m_stateLabel->setText(tr("Exported %n device(s) to %1", nullptr, int(m_model->totalCount())).arg(path));
}

} // namespace imprint::console
