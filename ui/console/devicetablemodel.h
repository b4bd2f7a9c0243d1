#pragma once

#include "console/devicefilteroptions.h"
#include "storage/records.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>

#include <optional>

namespace imprint {
class Clock;
namespace storage {
class Registry;
}
} // namespace imprint

namespace imprint::console {

// The devices table of the console: one row per device of the registry matching the
// current filter, in the current order.
//
// Filtering, sorting and paging happen in SQL (storage::DeviceFilter), and rows are
// fetched a page at a time as the view scrolls (canFetchMore/fetchMore), so that a
// registry of 100,000 devices opens with one count and one page query.
//
// refresh() re-reads the rows already shown and reconciles them with what is on screen
// by server_id: removed devices are removed, new ones inserted, moved ones moved by a
// layout change that carries persistent indexes along, changed ones re-painted. The
// view keeps its selection and scroll position, which a model reset would lose. Only
// the first refreshLimit rows are re-read (re-reading 100,000 would freeze the window
// for most of a second every few seconds); rows further down by
// refresh(AllLoaded), which the console runs on F5.
class DeviceTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        ServerIdColumn,
        HostnameColumn,
        PlatformColumn, // OS/arch; sorts by OS
        StatusColumn,
        SerialColumn,
        ExpiresColumn,
        EnrolledColumn,
        RenewedColumn,
        LastSeenColumn,
        LastAddressColumn,
        ColumnCount
    };
    enum Role {
        ServerIdRole = Qt::UserRole + 1, // QString
        DeviceStatusRole,                // int(storage::DeviceStatus)
        NotAfterRole,                    // QDateTime (UTC) of the current certificate
        ExpiryStateRole,                 // int(ExpiryState)
    };
    enum class ExpiryState { None, Valid, RenewalDue, Expired };
    Q_ENUM(ExpiryState)

    DeviceTableModel(storage::Registry &registry, const Clock &clock, QObject *parent = nullptr);

    // Model interface.
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // Sets search, status filter and order at once, with one query.
    void setView(const QString &search, StatusFilter status, int sortColumn, Qt::SortOrder order);
    // What is shown. Each setter re-queries (a model reset) if the value changed.
    void setSearch(const QString &search);
    void setStatusFilter(StatusFilter status);
    QString search() const { return m_search; }
    StatusFilter statusFilter() const { return m_status; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }
    void setRenewalThresholdSeconds(qint64 seconds);
    void setPageSize(int rows);
    // refresh() re-reads at most this many rows (and at least one page); loaded rows
    // below stay as they were until the next reload. Default 2,048.
    void setRefreshLimit(int rows);
    int pageSize() const { return m_pageSize; }

    // The filter and order of the current view without paging (for CSV export).
    storage::DeviceFilter currentFilter() const;
    // Devices matching the filter, loaded or not.
    qint64 totalCount() const { return m_total; }

    // Re-reads the loaded rows (at least one page; Limited: at most refreshLimit) and
    // reconciles; false (and errorOccurred) if the registry could not be read, the rows
    // shown stay as they were.
    enum class RefreshScope { Limited, AllLoaded };
    bool refresh(RefreshScope scope = RefreshScope::Limited);
    // Re-runs the query from the first page (after a filter change or a new registry).
    bool reload();

    const storage::DeviceRecord *deviceAt(int row) const;
    QModelIndex indexOfServerId(const QString &serverId, int column = 0) const;
    ExpiryState expiryState(const storage::DeviceRecord &device) const;

    static storage::DeviceFilter::Sort sortKey(int column);

signals:
    void errorOccurred(const QString &message);
    // totalCount() or the number of loaded rows changed.
    void countsChanged();

private:
    bool query(int limit, int offset, QList<storage::DeviceRecord> *rows, qint64 *total);
    // Reconciles rows [0, prefix) with `fresh`; the rows below stay as they are.
    void reconcile(QList<storage::DeviceRecord> fresh, int prefix);
    void rebuildRowIndex();

    storage::Registry &m_registry;
    const Clock &m_clock;
    QList<storage::DeviceRecord> m_rows;
    QHash<QString, int> m_rowOf; // server_id -> row
    QDateTime m_now;             // of the last query: one "now" for the filter and the days left
    qint64 m_total = 0;
    QString m_search;
    StatusFilter m_status = StatusFilter::All;
    int m_sortColumn = HostnameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    qint64 m_renewalThresholdSeconds = kDefaultRenewalThresholdSeconds;
    int m_pageSize = 256;
    int m_refreshLimit = 2048;
    bool m_fetching = false;
};

QString statusText(storage::DeviceStatus status);
QString issuedHowText(storage::IssuedHow how);

} // namespace imprint::console
