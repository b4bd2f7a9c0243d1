#pragma once

#include "storage/records.h"

#include <QDateTime>
#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QTableView;

namespace imprint::storage {
class Registry;
}

namespace imprint::console {

class CertificateHistoryModel;
class EventListModel;

// The selected device in full: its record, fingerprint, every certificate it was issued
// and its events.
class DeviceDetailsWidget : public QWidget {
    Q_OBJECT

public:
    explicit DeviceDetailsWidget(QWidget *parent = nullptr);

    // Shows `device` with its history read from `registry`; nullopt shows nothing.
    // Returns false (with `error`) if the history could not be read.
    bool showDevice(storage::Registry *registry, const std::optional<storage::DeviceRecord> &device,
                    const QDateTime &now, QString *error = nullptr);
    QString serverId() const { return m_device ? m_device->serverId : QString(); }

    CertificateHistoryModel *certificateModel() const { return m_certificates; }
    EventListModel *eventModel() const { return m_events; }

private:
    QLabel *addField(QFormLayout *form, const QString &label);

    std::optional<storage::DeviceRecord> m_device;
    QLabel *m_title = nullptr;
    QLabel *m_serverId = nullptr;
    QLabel *m_fingerprint = nullptr;
    QLabel *m_hostname = nullptr;
    QLabel *m_platform = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_serial = nullptr;
    QLabel *m_expires = nullptr;
    QLabel *m_enrolled = nullptr;
    QLabel *m_renewed = nullptr;
    QLabel *m_lastSeen = nullptr;
    QWidget *m_body = nullptr;
    CertificateHistoryModel *m_certificates = nullptr;
    EventListModel *m_events = nullptr;
    QTableView *m_certificateView = nullptr;
    QTableView *m_eventView = nullptr;
};

} // namespace imprint::console
