#pragma once

#include "device/inspection.h"

#include <QWizardPage>

class QLabel;
class QRadioButton;

namespace imprint::wizard {

class EnrollmentWizard;

// (a) Whether this machine is already enrolled: server_id, expiry and state, and the
// choice to renew the certificate held or to enroll again.
class StatusPage : public QWizardPage {
    Q_OBJECT

public:
    explicit StatusPage(EnrollmentWizard *wizard);

    void initializePage() override;
    bool validatePage() override;

    const device::CredentialStatus &status() const { return m_status; }
    QRadioButton *renewChoice() const { return m_renew; }
    QRadioButton *enrollChoice() const { return m_enroll; }

private:
    EnrollmentWizard *m_wizard;
    device::CredentialStatus m_status;
    bool m_renewable = false;
    QLabel *m_summary;
    QLabel *m_details;
    QRadioButton *m_renew;
    QRadioButton *m_enroll;
};

} // namespace imprint::wizard
