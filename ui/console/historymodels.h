#pragma once

#include "storage/records.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace imprint::console {

// Every certificate a device was ever issued, newest first, as the details pane shows it.
class CertificateHistoryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { SerialColumn, HowColumn, NotBeforeColumn, NotAfterColumn, RevokedColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    void setCertificates(QList<storage::CertificateRecord> certificates, const QString &currentSerial);
    const QList<storage::CertificateRecord> &certificates() const { return m_certificates; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<storage::CertificateRecord> m_certificates;
    QString m_currentSerial;
};

// The audit trail of one device (or of the whole registry), newest first.
class EventListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { TimeColumn, KindColumn, ActorColumn, AddressColumn, DetailColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    void setEvents(QList<storage::EventRecord> events);
    const QList<storage::EventRecord> &events() const { return m_events; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<storage::EventRecord> m_events;
};

// An operator-readable name of an event kind ("revoke" -> "revoked").
QString eventKindText(const QString &kind);

} // namespace imprint::console
