#include "historymodels.h"

#include "common/format.h"
#include "console/devicetablemodel.h"

#include <QFont>

namespace imprint::console {

void CertificateHistoryModel::setCertificates(QList<storage::CertificateRecord> certificates,
                                              const QString &currentSerial)
{
    beginResetModel();
    m_certificates = std::move(certificates);
    m_currentSerial = currentSerial;
    endResetModel();
}

int CertificateHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_certificates.size());
}

int CertificateHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CertificateHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::CertificateRecord &certificate = m_certificates.at(index.row());
    const bool current = certificate.serial == m_currentSerial;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case SerialColumn: return certificate.serial;
        case HowColumn: return issuedHowText(certificate.how);
        case NotBeforeColumn: return ui::formatDateTime(certificate.notBefore);
        case NotAfterColumn: return ui::formatDateTime(certificate.notAfter);
        case RevokedColumn:
            if (certificate.revokedAt.isValid())
                return ui::formatDateTime(certificate.revokedAt);
            return current ? tr("current") : tr("superseded");
        }
    }
    if (role == Qt::FontRole && current) {
        QFont font;
        font.setBold(true);
        return font;
    }
    return {};
}

QVariant CertificateHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case SerialColumn: return tr("Serial");
    case HowColumn: return tr("Issued by");
    case NotBeforeColumn: return tr("Not before");
    case NotAfterColumn: return tr("Not after");
    case RevokedColumn: return tr("Revoked");
    }
    return {};
}

void EventListModel::setEvents(QList<storage::EventRecord> events)
{
    beginResetModel();
    m_events = std::move(events);
    endResetModel();
}

int EventListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const storage::EventRecord &event = m_events.at(index.row());
    if (role == Qt::DisplayRole || (role == Qt::ToolTipRole && index.column() == DetailColumn)) {
        switch (index.column()) {
        case TimeColumn: return ui::formatDateTime(event.at);
        case KindColumn: return eventKindText(event.kind);
        case ActorColumn: return event.actor;
        case AddressColumn: return event.address;
        case DetailColumn: return event.detail;
        }
    }
    return {};
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time");
    case KindColumn: return tr("Event");
    case ActorColumn: return tr("By");
    case AddressColumn: return tr("Address");
    case DetailColumn: return tr("Detail");
    }
    return {};
}

QString eventKindText(const QString &kind)
{
    using namespace storage;
    if (kind == EventKind::Enroll)
        return EventListModel::tr("enrolled");
    if (kind == EventKind::Reenroll)
        return EventListModel::tr("enrolled again");
    if (kind == EventKind::Renew)
        return EventListModel::tr("renewed");
    if (kind == EventKind::ChallengeRenew)
        return EventListModel::tr("renewed by challenge");
    if (kind == EventKind::Revoke)
        return EventListModel::tr("revoked");
    if (kind == EventKind::Delete)
        return EventListModel::tr("record deleted");
    if (kind == EventKind::Approve)
        return EventListModel::tr("approved");
    if (kind == EventKind::RejectedEnroll)
        return EventListModel::tr("enrollment refused");
    if (kind == EventKind::RejectedRenew)
        return EventListModel::tr("renewal refused");
    if (kind == EventKind::RejectedChallenge)
        return EventListModel::tr("challenge renewal refused");
    return kind; // a kind newer than this console
}

} // namespace imprint::console
