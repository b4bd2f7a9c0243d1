#pragma once

#include "console/devicetablemodel.h"
#include "storage/registry.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

namespace imprint {
class Clock;
}

namespace imprint::console {

class CaPanel;
class DeviceDetailsWidget;

class OverviewPanel;

// The operator's CA console: the devices of a registry (table, search, status filter,
// details with serial history and events), revoke and delete, the CA and its pin, a
// chart of upcoming expiries, CSV export. Everything it shows is read from the registry
// the service writes, and re-read periodically (refreshIntervalMs) without losing the
// selection or the scroll position.
class ConsoleWindow : public QMainWindow {
    Q_OBJECT

public:
    struct Options {
        QString databaseUrl;             // empty: none yet
        QString caDirectory;             // empty: none yet
        QString newServiceDirectory;     // offered by "New CA and database"
        int refreshIntervalMs = 5000;    // 0: only on demand (F5)
        bool rememberLocations = true;   // store what was opened in QSettings
    };

    explicit ConsoleWindow(const Clock &clock, QWidget *parent = nullptr);
    ~ConsoleWindow() override;

    // Opens a registry (sqlite:///..., a path, or postgresql://...); false with a message
    // in `error` and the previous registry still open if it cannot.
    bool openRegistry(const QString &databaseUrl, QString *error = nullptr);
    bool openCaDirectory(const QString &directory, QString *error = nullptr);
    // Creates a CA in <directory>/ca and an SQLite registry <directory>/registry.db, as
    // `imprint serve` would on first start, and opens both.
    bool createService(const QString &directory, const QString &organization, QString *error = nullptr);
    void setOptions(const Options &options);
    void setRefreshInterval(int milliseconds);

    // Asks what to do when nothing is open: create a new CA and database, or open some.
    void offerSetup();

    // Re-reads everything shown; false (with the message in the status bar) on failure.
    // The periodic refresh re-reads the first rows only (DeviceTableModel::refresh).
    bool refresh(DeviceTableModel::RefreshScope scope = DeviceTableModel::RefreshScope::AllLoaded);
    // The current view (filter and order, all matching rows) as CSV.
    bool exportCsv(const QString &path, QString *error = nullptr);
    // Revokes / deletes the selected device after the confirmation dialog.
    void revokeSelected();
    void deleteSelected();
    bool selectServerId(const QString &serverId);
    QString selectedServerId() const;

    storage::Registry *registry() const { return m_registry.get(); }
    DeviceTableModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *statusFilterBox() const { return m_statusFilter; }
    DeviceDetailsWidget *details() const { return m_details; }
    CaPanel *caPanel() const { return m_caPanel; }
    OverviewPanel *overview() const { return m_overview; }
    QTabWidget *tabs() const { return m_tabs; }
    QAction *revokeAction() const { return m_revokeAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *refreshAction() const { return m_refreshAction; }
    QString statusMessage() const;

signals:
    // A revoke or delete was written to the registry.
    void deviceChanged(const QString &serverId);

protected:
    void closeEvent(class QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralWidget();
    void restoreLayout();
    void updateActions();
    void updateDetails();
    void updateStatusBar();
    void refreshSidePanels();
    void showError(const QString &message);
    void applySearch();
    void showContextMenu(const QPoint &position);
    void copySelected(int role);
    void chooseSqliteDatabase();
    void enterDatabaseUrl();
    void chooseCaDirectory();
    void chooseNewServiceDirectory();
    void chooseExportFile();
    void remember();
    std::optional<storage::DeviceRecord> selectedDevice() const;

    const Clock &m_clock;
    Options m_options;
    std::unique_ptr<storage::Registry> m_registry;
    QString m_caDirectory;
    QPointer<DeviceTableModel> m_model;

    QTabWidget *m_tabs = nullptr;
    QSplitter *m_splitter = nullptr;
    QTableView *m_table = nullptr;
    DeviceDetailsWidget *m_details = nullptr;
    CaPanel *m_caPanel = nullptr;
    OverviewPanel *m_overview = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_stateLabel = nullptr;
    QTimer *m_refreshTimer = nullptr;
    QTimer *m_searchTimer = nullptr;

    QAction *m_openSqliteAction = nullptr;
    QAction *m_openUrlAction = nullptr;
    QAction *m_openCaAction = nullptr;
    QAction *m_newServiceAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_revokeAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_copyServerIdAction = nullptr;
    QAction *m_copyFingerprintAction = nullptr;
    QAction *m_aboutAction = nullptr;
};

} // namespace imprint::console
