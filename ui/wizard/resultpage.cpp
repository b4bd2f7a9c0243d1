#include "resultpage.h"

#include "device/credentialstore.h"
#include "device/inspection.h"
#include "enrollmentwizard.h"
#include "wizardtexts.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace imprint::wizard {

ResultPage::ResultPage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("resultPage"));
    setFinalPage(true);
    auto *layout = new QVBoxLayout(this);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("headline"));
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::PlainText);
    layout->addWidget(m_headline);
    for (QLabel **label : {&m_details, &m_advice}) {
        *label = new QLabel(this);
        (*label)->setWordWrap(true);
        (*label)->setTextFormat(Qt::PlainText);
        (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(*label);
    }
    m_details->setObjectName(QStringLiteral("details"));
    m_advice->setObjectName(QStringLiteral("advice"));
    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    layout->addWidget(m_retry, 0, Qt::AlignLeft);
    layout->addStretch();
    connect(m_retry, &QPushButton::clicked, this, [this] {
        const auto &error = m_wizard->outcome().error;
        m_wizard->retryFrom(error ? EnrollmentWizard::pageFor(*error) : EnrollmentWizard::CredentialsPageId);
    });
}

void ResultPage::initializePage()
{
    const EnrollmentWizard::Outcome &outcome = m_wizard->outcome();
    m_succeeded = !outcome.error.has_value();
    m_retry->setVisible(!m_succeeded);
    const device::CredentialStore store(outcome.storeDirectory);
    if (!m_succeeded) {
        const device::DeviceError &error = *outcome.error;
        setTitle(m_wizard->mode() == EnrollmentWizard::Mode::Renew ? tr("Renewal failed") : tr("Enrollment failed"));
        m_headline->setStyleSheet(QStringLiteral("color: #b00020; font-size: 15pt; font-weight: bold;"));
        m_headline->setText(Texts::failureTitle(error));
        const QString pins = Texts::pinComparison(error);
        m_details->setText(!pins.isEmpty() ? pins
                               : error.kind == device::DeviceError::Kind::Cancelled ? QString()
                                                                                     : error.message);
        m_advice->setText(Texts::failureAdvice(error));
        return;
    }

    m_headline->setStyleSheet(QStringLiteral("color: #1b5e20; font-size: 15pt; font-weight: bold;"));
    QString serverId = outcome.serverId;
    QDateTime notBefore = outcome.notBefore;
    QDateTime notAfter = outcome.notAfter;
    if (m_wizard->mode() == EnrollmentWizard::Mode::Renew) {
        setTitle(tr("Renewed"));
        // RenewOrReenroll reports the action; the certificate is read back from the store.
        if (auto status = device::inspect(store, m_wizard->clock().now()); status) {
            serverId = status->serverId;
            notBefore = status->notBefore;
            notAfter = status->notAfter;
        }
        m_headline->setText(tr("The certificate was renewed (%1).").arg(outcome.action));
    } else {
        setTitle(tr("Enrolled"));
        m_headline->setText(Texts::enrolled(serverId));
    }
    m_details->setText(Texts::credentialsDetails(serverId, notBefore, notAfter, m_wizard->clock().now(), store));
    m_advice->setText(Texts::renewalSetup(m_wizard->inputs().url, outcome.storeDirectory));
}

} // namespace imprint::wizard
