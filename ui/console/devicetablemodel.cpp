#include "devicetablemodel.h"

#include "common/clock.h"
#include "common/format.h"
#include "storage/registry.h"

#include <QBrush>
#include <QColor>
#include <QScopedValueRollback>
#include <QSet>

namespace imprint::console {

namespace {

bool sameRecord(const storage::DeviceRecord &a, const storage::DeviceRecord &b)
{
    return a.serverId == b.serverId && a.fingerprint == b.fingerprint && a.hostname == b.hostname && a.os == b.os
        && a.arch == b.arch && a.status == b.status && a.currentSerial == b.currentSerial
        && a.currentNotAfter == b.currentNotAfter && a.enrolledAt == b.enrolledAt && a.renewedAt == b.renewedAt
        && a.lastSeenAt == b.lastSeenAt && a.lastAddress == b.lastAddress && a.revokedAt == b.revokedAt
        && a.revokeReason == b.revokeReason;
}

// Light backgrounds that keep the default (dark) text readable.
const QColor kExpiredBackground(0xf8, 0xc4, 0xc4);
const QColor kRenewalDueBackground(0xfb, 0xe3, 0xa6);

} // namespace

QString statusText(storage::DeviceStatus status)
{
    switch (status) {
    case storage::DeviceStatus::Active: return DeviceTableModel::tr("active");
    case storage::DeviceStatus::Revoked: return DeviceTableModel::tr("revoked");
    case storage::DeviceStatus::Pending: return DeviceTableModel::tr("pending");
    }
    return {};
}

QString issuedHowText(storage::IssuedHow how)
{
    switch (how) {
    case storage::IssuedHow::Enroll: return DeviceTableModel::tr("enrollment");
    case storage::IssuedHow::Renew: return DeviceTableModel::tr("renewal");
    case storage::IssuedHow::Challenge: return DeviceTableModel::tr("challenge renewal");
    case storage::IssuedHow::Reenroll: return DeviceTableModel::tr("re-enrollment");
    }
    return {};
}

DeviceTableModel::DeviceTableModel(storage::Registry &registry, const Clock &clock, QObject *parent)
    : QAbstractTableModel(parent), m_registry(registry), m_clock(clock), m_now(clock.now())
{
}

int DeviceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeviceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

DeviceTableModel::ExpiryState DeviceTableModel::expiryState(const storage::DeviceRecord &device) const
{
    if (!device.currentNotAfter.isValid())
        return ExpiryState::None;
    if (device.currentNotAfter <= m_now)
        return ExpiryState::Expired;
    if (m_now.secsTo(device.currentNotAfter) <= m_renewalThresholdSeconds)
        return ExpiryState::RenewalDue;
    return ExpiryState::Valid;
}

QVariant DeviceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::DeviceRecord &device = m_rows.at(index.row());
    const bool active = device.status == storage::DeviceStatus::Active;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ServerIdColumn: return device.serverId;
        case HostnameColumn: return device.hostname;
        case PlatformColumn: return device.os + QLatin1Char('/') + device.arch;
        case StatusColumn: return statusText(device.status);
        case SerialColumn: return device.currentSerial;
        case ExpiresColumn:
            if (!active)
                return QString();
            return ui::formatDaysLeft(device.currentNotAfter, m_now);
        case EnrolledColumn: return ui::formatDateTime(device.enrolledAt);
        case RenewedColumn: return ui::formatDateTime(device.renewedAt);
        case LastSeenColumn: return ui::formatDateTime(device.lastSeenAt);
        case LastAddressColumn: return device.lastAddress;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExpiresColumn)
            return tr("Current certificate valid until %1").arg(ui::formatDateTime(device.currentNotAfter));
        if (index.column() == StatusColumn && device.status == storage::DeviceStatus::Revoked)
            return tr("Revoked %1: %2").arg(ui::formatDateTime(device.revokedAt), device.revokeReason);
        return {};
    case Qt::BackgroundRole:
        if (index.column() == ExpiresColumn && active) {
            switch (expiryState(device)) {
            case ExpiryState::Expired: return QBrush(kExpiredBackground);
            case ExpiryState::RenewalDue: return QBrush(kRenewalDueBackground);
            default: break;
            }
        }
        return {};
    case Qt::ForegroundRole:
        if (!active)
            return QBrush(QColor(Qt::gray));
        return {};
    case ServerIdRole: return device.serverId;
    case DeviceStatusRole: return int(device.status);
    case NotAfterRole: return device.currentNotAfter;
    case ExpiryStateRole: return int(expiryState(device));
    }
    return {};
}

QVariant DeviceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ServerIdColumn: return tr("Server ID");
    case HostnameColumn: return tr("Host name");
    case PlatformColumn: return tr("OS/arch");
    case StatusColumn: return tr("Status");
    case SerialColumn: return tr("Serial");
    case ExpiresColumn: return tr("Expires");
    case EnrolledColumn: return tr("Enrolled");
    case RenewedColumn: return tr("Renewed");
    case LastSeenColumn: return tr("Last seen");
    case LastAddressColumn: return tr("Last address");
    }
    return {};
}

storage::DeviceFilter::Sort DeviceTableModel::sortKey(int column)
{
    using Sort = storage::DeviceFilter::Sort;
    switch (column) {
    case ServerIdColumn: return Sort::ServerId;
    case HostnameColumn: return Sort::Hostname;
    case PlatformColumn: return Sort::Os;
    case StatusColumn: return Sort::Status;
    case SerialColumn: return Sort::CurrentSerial;
    case ExpiresColumn: return Sort::CurrentNotAfter;
    case EnrolledColumn: return Sort::EnrolledAt;
    case RenewedColumn: return Sort::RenewedAt;
    case LastSeenColumn: return Sort::LastSeenAt;
    case LastAddressColumn: return Sort::LastAddress;
    }
    return Sort::Hostname;
}

storage::DeviceFilter DeviceTableModel::currentFilter() const
{
    storage::DeviceFilter filter = makeDeviceFilter(m_status, m_search, m_now, m_renewalThresholdSeconds);
    filter.sort = sortKey(m_sortColumn);
    filter.descending = m_sortOrder == Qt::DescendingOrder;
    return filter;
}

bool DeviceTableModel::query(int limit, int offset, QList<storage::DeviceRecord> *rows, qint64 *total)
{
    storage::DeviceFilter filter = currentFilter();
    if (total) {
        auto count = m_registry.countDevices(filter);
        if (!count) {
            emit errorOccurred(count.errorMessage());
            return false;
        }
        *total = count.value();
    }
    filter.limit = limit;
    filter.offset = offset;
    auto found = m_registry.devices(filter);
    if (!found) {
        emit errorOccurred(found.errorMessage());
        return false;
    }
    *rows = std::move(found).value();
    return true;
}

bool DeviceTableModel::reload()
{
    m_now = m_clock.now();
    QList<storage::DeviceRecord> rows;
    qint64 total = 0;
    const bool ok = query(m_pageSize, 0, &rows, &total);
    beginResetModel();
    // On failure the table is emptied: the old rows belong to another filter or registry.
    m_rows = ok ? std::move(rows) : QList<storage::DeviceRecord>{};
    m_total = ok ? total : 0;
    rebuildRowIndex();
    {
        // A view (or QAbstractItemModelTester) asking for more rows from its modelReset
        // slot would nest an insertion inside the reset notification.
        const QScopedValueRollback<bool> resetting(m_fetching, true);
        endResetModel();
    }
    emit countsChanged();
    return ok;
}

bool DeviceTableModel::refresh(RefreshScope scope)
{
    m_now = m_clock.now();
    // Everything loaded, but (periodically) never more than the refresh limit:
    // re-reading 100,000 rows takes most of a second, and rows far below are rarely seen.
    const qsizetype loaded = std::max<qsizetype>(m_rows.size(), m_pageSize);
    const int limit = scope == RefreshScope::AllLoaded
        ? int(loaded)
        : int(std::min<qsizetype>(loaded, std::max(m_refreshLimit, m_pageSize)));
    QList<storage::DeviceRecord> fresh;
    qint64 total = 0;
    if (!query(limit, 0, &fresh, &total))
        return false;
    m_total = total;
    // Fewer rows than asked for: that is the whole view, and any loaded row beyond it is gone.
    const int prefix = fresh.size() < limit ? int(m_rows.size()) : int(std::min<qsizetype>(limit, m_rows.size()));
    {
        // A view asking for more rows from a slot of the insertions and moves below would
        // fetch against a half-reconciled list (and a stale row index).
        const QScopedValueRollback<bool> reconciling(m_fetching, true);
        reconcile(std::move(fresh), prefix);
    }
    emit countsChanged();
    return true;
}

void DeviceTableModel::reconcile(QList<storage::DeviceRecord> fresh, int prefix)
{
    QHash<QString, int> freshRow;
    freshRow.reserve(fresh.size());
    for (int i = 0; i < fresh.size(); ++i)
        freshRow.insert(fresh.at(i).serverId, i);

    // 1. Rows to drop, in contiguous runs from the bottom up: in the refreshed prefix,
    //    devices no longer there; below it, devices that moved up into it.
    auto drop = [&](int row) { return freshRow.contains(m_rows.at(row).serverId) != (row < prefix); };
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (!drop(row)) {
            --row;
            continue;
        }
        const int last = row;
        const bool inPrefix = row < prefix;
        while (row >= 0 && drop(row) && (row < prefix) == inPrefix)
            --row;
        const int first = row + 1;
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        if (inPrefix)
            prefix -= last - first + 1;
    }

    // 2. Devices new to the prefix, inserted at its end; step 3 moves them into place.
    QSet<QString> shown;
    shown.reserve(prefix);
    for (int i = 0; i < prefix; ++i)
        shown.insert(m_rows.at(i).serverId);
    QList<storage::DeviceRecord> added;
    for (const auto &device : std::as_const(fresh)) {
        if (!shown.contains(device.serverId))
            added << device;
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, prefix, int(prefix + added.size() - 1));
        for (int i = 0; i < added.size(); ++i)
            m_rows.insert(prefix + i, added.at(i));
        endInsertRows();
        prefix += int(added.size());
    }
    Q_ASSERT(prefix == fresh.size());

    // 3. The order: a layout change moves rows and, with them, persistent indexes
    //    (selection, current index), so the operator's selection follows its device.
    bool sameOrder = true;
    for (int i = 0; i < prefix && sameOrder; ++i)
        sameOrder = m_rows.at(i).serverId == fresh.at(i).serverId;
    if (!sameOrder) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        QModelIndexList after;
        after.reserve(before.size());
        for (const QModelIndex &index : before) {
            const int row = index.row() < prefix ? freshRow.value(m_rows.at(index.row()).serverId) : index.row();
            after << createIndex(row, index.column());
        }
        QList<storage::DeviceRecord> reordered(prefix);
        for (int i = 0; i < prefix; ++i)
            reordered[freshRow.value(m_rows.at(i).serverId)] = m_rows.at(i);
        std::move(reordered.begin(), reordered.end(), m_rows.begin());
        changePersistentIndexList(before, after);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }

    // 4. Changed records; the expiry column always, as it counts days from now.
    int firstChanged = -1;
    int lastChanged = -1;
    for (int i = 0; i < prefix; ++i) {
        if (!sameRecord(m_rows.at(i), fresh.at(i))) {
            m_rows[i] = fresh.at(i);
            if (firstChanged < 0)
                firstChanged = i;
            lastChanged = i;
        }
    }
    rebuildRowIndex();
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, ExpiresColumn), index(int(m_rows.size()) - 1, ExpiresColumn));
}

bool DeviceTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_rows.size() < m_total;
}

void DeviceTableModel::fetchMore(const QModelIndex &parent)
{
    // Views (and QAbstractItemModelTester) may ask again from a slot connected to the
    // insertion this fetch is making.
    if (parent.isValid() || m_fetching)
        return;
    const QScopedValueRollback<bool> fetching(m_fetching, true);
    QList<storage::DeviceRecord> page;
    if (!query(m_pageSize, int(m_rows.size()), &page, nullptr)) {
        m_total = m_rows.size(); // stop asking until the next refresh
        return;
    }
    // Rows written since the last query shift the pages; skip what is already shown.
    QList<storage::DeviceRecord> added;
    for (auto &device : page) {
        if (!m_rowOf.contains(device.serverId))
            added << std::move(device);
    }
    // Nothing new (the registry shrank, or a limited refresh left rows below the
    // prefix that now repeat): stop until the next refresh or reload.
    if (added.isEmpty())
        m_total = m_rows.size();
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        for (auto &device : added) {
            m_rowOf.insert(device.serverId, int(m_rows.size()));
            m_rows << std::move(device);
        }
        endInsertRows();
    }
    emit countsChanged();
}

void DeviceTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    reload();
}

void DeviceTableModel::setView(const QString &search, StatusFilter status, int sortColumn, Qt::SortOrder order)
{
    m_search = search;
    m_status = status;
    if (sortColumn >= 0 && sortColumn < ColumnCount)
        m_sortColumn = sortColumn;
    m_sortOrder = order;
    reload();
}

void DeviceTableModel::setSearch(const QString &search)
{
    if (search == m_search)
        return;
    m_search = search;
    reload();
}

void DeviceTableModel::setStatusFilter(StatusFilter status)
{
    if (status == m_status)
        return;
    m_status = status;
    reload();
}

void DeviceTableModel::setRenewalThresholdSeconds(qint64 seconds)
{
    m_renewalThresholdSeconds = seconds;
    reload();
}

void DeviceTableModel::setRefreshLimit(int rows)
{
    m_refreshLimit = std::max(1, rows);
}

void DeviceTableModel::setPageSize(int rows)
{
    m_pageSize = std::max(1, rows);
}

const storage::DeviceRecord *DeviceTableModel::deviceAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return &m_rows.at(row);
}

QModelIndex DeviceTableModel::indexOfServerId(const QString &serverId, int column) const
{
    const auto found = m_rowOf.constFind(serverId);
    return found == m_rowOf.cend() ? QModelIndex() : index(*found, column);
}

void DeviceTableModel::rebuildRowIndex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows.at(i).serverId, i);
}

} // namespace imprint::console
