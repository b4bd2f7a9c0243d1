#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;

namespace imprint::wizard {

class EnrollmentWizard;

// (c) Who this machine is to the service: its fingerprint and the tier it came from,
// the host name it reports (editable: kiosks are often all called "localhost"), OS and
// architecture.
class IdentityPage : public QWizardPage {
    Q_OBJECT

public:
    explicit IdentityPage(EnrollmentWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;

    QLabel *fingerprintLabel() const { return m_fingerprint; }
    QLineEdit *hostnameEdit() const { return m_hostname; }

private:
    EnrollmentWizard *m_wizard;
    QLabel *m_fingerprint;
    QLabel *m_tier;
    QLineEdit *m_hostname;
    QLabel *m_platform;
};

} // namespace imprint::wizard
