#include "identitypage.h"

#include "device/platform.h"
#include "enrollmentwizard.h"
#include "wizardtexts.h"

#include <QFormLayout>
#include <QHostInfo>
#include <QLabel>
#include <QLineEdit>

namespace imprint::wizard {

IdentityPage::IdentityPage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("identityPage"));
    setTitle(tr("Identity"));
    setSubTitle(tr("What the service will know this machine by."));
    auto *form = new QFormLayout(this);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_fingerprint = new QLabel(this);
    m_fingerprint->setObjectName(QStringLiteral("fingerprint"));
    m_fingerprint->setWordWrap(true);
    m_fingerprint->setTextFormat(Qt::PlainText);
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Fingerprint:"), m_fingerprint);
    m_tier = new QLabel(this);
    m_tier->setObjectName(QStringLiteral("tier"));
    m_tier->setWordWrap(true);
    form->addRow(tr("From:"), m_tier);
    m_hostname = new QLineEdit(this);
    m_hostname->setObjectName(QStringLiteral("hostname"));
    m_hostname->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    form->addRow(tr("Host name:"), m_hostname);
    m_platform = new QLabel(QStringLiteral("%1 / %2").arg(device::operatingSystem(), device::architecture()), this);
    m_platform->setObjectName(QStringLiteral("platform"));
    form->addRow(tr("System:"), m_platform);

    const QString hostname = wizard->inputs().hostname;
    m_hostname->setText(hostname.isEmpty() ? QHostInfo::localHostName() : hostname);
    connect(m_hostname, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_wizard->inputs().hostname = text.trimmed();
        emit completeChanged();
    });
    m_wizard->inputs().hostname = m_hostname->text().trimmed();
}

void IdentityPage::initializePage()
{
    const auto &fingerprint = m_wizard->fingerprint();
    if (fingerprint) {
        m_fingerprint->setStyleSheet(QString());
        m_fingerprint->setText(fingerprint->value);
        m_tier->setText(Texts::tier(fingerprint->tier));
    } else {
        m_fingerprint->setStyleSheet(QStringLiteral("color: #b00020;"));
        m_fingerprint->setText(Texts::fingerprintFailed(fingerprint.errorMessage()));
        m_tier->clear();
    }
    emit completeChanged();
}

bool IdentityPage::isComplete() const
{
    return m_wizard->fingerprint().ok() && !m_hostname->text().trimmed().isEmpty();
}

} // namespace imprint::wizard
