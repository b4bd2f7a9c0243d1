#include "devicedetailswidget.h"

#include "common/format.h"
#include "console/devicetablemodel.h"
#include "console/historymodels.h"
#include "storage/registry.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace imprint::console {

namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    return view;
}

} // namespace

DeviceDetailsWidget::DeviceDetailsWidget(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Select a device to see its details."), this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText); // the host name is what the device sent
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    m_body = new QWidget(this);
    auto *bodyLayout = new QVBoxLayout(m_body);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_serverId = addField(form, tr("Server ID:"));
    m_hostname = addField(form, tr("Host name:"));
    m_platform = addField(form, tr("OS/arch:"));
    m_status = addField(form, tr("Status:"));
    m_serial = addField(form, tr("Current serial:"));
    m_expires = addField(form, tr("Expires:"));
    m_enrolled = addField(form, tr("Enrolled:"));
    m_renewed = addField(form, tr("Renewed:"));
    m_lastSeen = addField(form, tr("Last seen:"));
    m_fingerprint = addField(form, tr("Fingerprint:"));
    m_fingerprint->setWordWrap(true);
    bodyLayout->addLayout(form);

    m_certificates = new CertificateHistoryModel(this);
    m_events = new EventListModel(this);
    bodyLayout->addWidget(new QLabel(tr("Certificates issued"), m_body));
    m_certificateView = makeTable(m_certificates, m_body);
    m_certificateView->setObjectName(QStringLiteral("certificateHistory"));
    bodyLayout->addWidget(m_certificateView, 1);
    bodyLayout->addWidget(new QLabel(tr("Events"), m_body));
    m_eventView = makeTable(m_events, m_body);
    m_eventView->setObjectName(QStringLiteral("deviceEvents"));
    bodyLayout->addWidget(m_eventView, 1);
    layout->addWidget(m_body, 1);
    m_body->hide();
}

QLabel *DeviceDetailsWidget::addField(QFormLayout *form, const QString &label)
{
    auto *value = new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setTextFormat(Qt::PlainText);
    form->addRow(label, value);
    return value;
}

bool DeviceDetailsWidget::showDevice(storage::Registry *registry, const std::optional<storage::DeviceRecord> &device,
                                     const QDateTime &now, QString *error)
{
    m_device = device;
    if (!device || !registry) {
        m_title->setText(tr("Select a device to see its details."));
        m_body->hide();
        m_certificates->setCertificates({}, {});
        m_events->setEvents({});
        return true;
    }
    m_title->setText(device->hostname.isEmpty() ? device->serverId : device->hostname);
    m_serverId->setText(device->serverId);
    m_hostname->setText(device->hostname);
    m_platform->setText(device->os + QLatin1Char('/') + device->arch);
    QString status = statusText(device->status);
    if (device->status == storage::DeviceStatus::Revoked) {
        status = tr("%1 on %2, reason: %3")
                     .arg(status, ui::formatDateTime(device->revokedAt),
                          device->revokeReason.isEmpty() ? tr("none given") : device->revokeReason);
    }
    m_status->setText(status);
    m_serial->setText(device->currentSerial);
    m_expires->setText(tr("%1 (%2)").arg(ui::formatDateTime(device->currentNotAfter),
                                         ui::formatDaysLeft(device->currentNotAfter, now)));
    m_enrolled->setText(ui::formatDateTime(device->enrolledAt));
    m_renewed->setText(ui::formatDateTime(device->renewedAt));
    m_lastSeen->setText(device->lastAddress.isEmpty()
                            ? ui::formatDateTime(device->lastSeenAt)
                            : tr("%1 from %2").arg(ui::formatDateTime(device->lastSeenAt), device->lastAddress));
    m_fingerprint->setText(device->fingerprint);
    m_body->show();

    bool ok = true;
    auto certificates = registry->certificates(device->serverId);
    if (certificates) {
        m_certificates->setCertificates(certificates.value(), device->currentSerial);
    } else {
        ok = false;
        if (error)
            *error = certificates.errorMessage();
    }
    auto events = registry->events(device->serverId, 200);
    if (events) {
        m_events->setEvents(events.value());
    } else {
        ok = false;
        if (error)
            *error = events.errorMessage();
    }
    return ok;
}

} // namespace imprint::console
