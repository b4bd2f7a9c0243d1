#include "statuspage.h"

#include "common/format.h"
#include "device/credentialstore.h"
#include "enrollmentwizard.h"
#include "wizardtexts.h"

#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace imprint::wizard {

using State = device::CredentialStatus::State;

StatusPage::StatusPage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("statusPage"));
    setTitle(tr("This machine"));
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    layout->addWidget(m_summary);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_details);
    m_renew = new QRadioButton(tr("Renew the certificate now (new key, same server_id)"), this);
    m_renew->setObjectName(QStringLiteral("renewChoice"));
    m_enroll = new QRadioButton(tr("Enroll this machine"), this);
    m_enroll->setObjectName(QStringLiteral("enrollChoice"));
    layout->addWidget(m_renew);
    layout->addWidget(m_enroll);
    layout->addStretch();
}

void StatusPage::initializePage()
{
    const QDateTime now = m_wizard->clock().now();
    auto status = device::inspect(device::CredentialStore(m_wizard->inputs().storeDirectory), now);
    m_status = status ? status.value() : device::CredentialStatus{};
    m_status.storeDirectory = m_wizard->inputs().storeDirectory;
    if (!status) {
        m_status.state = State::Unreadable;
        m_status.problem = status.errorMessage();
    }
    m_summary->setText(Texts::statusSummary(m_status, now));

    m_renewable = m_status.state == State::Valid || m_status.state == State::RenewalDue
        || m_status.state == State::ExpiredInWindow;
    if (m_status.enrolled && !m_status.serverId.isEmpty()) {
        m_details->setText(tr("server_id: %1\nSerial: %2\nValid from %3 until %4\nStore: %5")
                               .arg(m_status.serverId, m_status.serial, ui::formatDateTime(m_status.notBefore),
                                    ui::formatDateTime(m_status.notAfter), m_status.storeDirectory));
        m_details->show();
    } else {
        m_details->setText(tr("The next pages check the service, show this machine's identity and ask for the "
                              "build secret; then the wizard enrolls it, which takes a few seconds."));
        m_details->show();
    }
    m_renew->setVisible(m_renewable);
    m_enroll->setText(m_status.state == State::NotEnrolled
                          ? tr("Enroll this machine")
                          : tr("Enroll again (new key and certificate; the server_id stays)"));
    if (m_renewable)
        m_renew->setChecked(true);
    else
        m_enroll->setChecked(true);
    m_enroll->setVisible(m_renewable); // one choice needs no radio button
}

bool StatusPage::validatePage()
{
    m_wizard->setMode(m_renewable && m_renew->isChecked() ? EnrollmentWizard::Mode::Renew
                                                                  : EnrollmentWizard::Mode::Enroll);
    return true;
}

} // namespace imprint::wizard
