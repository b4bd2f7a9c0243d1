#include "revokedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace imprint::console {

namespace {

QString deviceName(const storage::DeviceRecord &device)
{
    if (device.hostname.isEmpty())
        return device.serverId;
    return QStringLiteral("%1 (%2)").arg(device.hostname, device.serverId);
}

} // namespace

RevokeDialog::RevokeDialog(const storage::DeviceRecord &device, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Revoke device"));
    setObjectName(QStringLiteral("revokeDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(tr("Revoke %1?").arg(deviceName(device)), this);
    QFont bold = question->font();
    bold.setBold(true);
    question->setFont(bold);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    layout->addWidget(question);
    auto *consequence = new QLabel(tr("The service refuses this device from now on: its certificate no longer "
                                      "authenticates it, it cannot renew, and its machine cannot enroll again. "
                                      "This cannot be undone."),
                                   this);
    consequence->setWordWrap(true);
    layout->addWidget(consequence);
    layout->addWidget(new QLabel(tr("Reason (recorded in the device's events):"), this));
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("e.g. kiosk stolen, decommissioned, key exposed"));
    layout->addWidget(m_reason);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_revoke = buttons->addButton(tr("Revoke"), QDialogButtonBox::AcceptRole);
    m_revoke->setObjectName(QStringLiteral("revokeButton"));
    m_revoke->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_revoke->setEnabled(!text.trimmed().isEmpty()); });
    m_reason->setFocus();
}

QString RevokeDialog::reason() const
{
    return m_reason->text().trimmed();
}

DeleteDialog::DeleteDialog(const storage::DeviceRecord &device, QWidget *parent)
    : QDialog(parent), m_expected(device.hostname.isEmpty() ? device.serverId : device.hostname)
{
    setWindowTitle(tr("Delete device record"));
    setObjectName(QStringLiteral("deleteDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(tr("Delete the record of %1?").arg(deviceName(device)), this);
    QFont bold = question->font();
    bold.setBold(true);
    question->setFont(bold);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    layout->addWidget(question);
    QString consequence = tr("The device and its certificate history are removed; the events stay. Its machine "
                             "could then enroll again as a new device. Use this for decommissioned devices.");
    if (device.status == storage::DeviceStatus::Active) {
        consequence += QLatin1Char(' ')
            + tr("This device is still active: revoke it first unless its certificate must keep working "
                 "until it expires.");
    }
    auto *text = new QLabel(consequence, this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *prompt = new QLabel(tr("Type %1 to confirm:").arg(m_expected), this);
    prompt->setTextFormat(Qt::PlainText);
    layout->addWidget(prompt);
    m_confirmation = new QLineEdit(this);
    m_confirmation->setObjectName(QStringLiteral("confirmation"));
    layout->addWidget(m_confirmation);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_delete = buttons->addButton(tr("Delete record"), QDialogButtonBox::AcceptRole);
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_delete->setEnabled(false);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_confirmation, &QLineEdit::textChanged, this,
            [this](const QString &typed) { m_delete->setEnabled(typed.trimmed() == m_expected); });
    m_confirmation->setFocus();
}

} // namespace imprint::console
