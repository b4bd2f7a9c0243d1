#pragma once

#include <QWizardPage>

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace imprint::wizard {

class EnrollmentWizard;

// (d) The build secret: typed (masked, with a Show button) or read from a file.
class CredentialsPage : public QWizardPage {
    Q_OBJECT

public:
    explicit CredentialsPage(EnrollmentWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QLineEdit *secretEdit() const { return m_secret; }
    QPushButton *showButton() const { return m_show; }
    QRadioButton *fileChoice() const { return m_fromFile; }
    QLineEdit *secretFileEdit() const { return m_secretFile; }
    QLabel *errorLabel() const { return m_error; }

private:
    void store();
    void updateChoice();

    EnrollmentWizard *m_wizard;
    QRadioButton *m_typed;
    QRadioButton *m_fromFile;
    QLineEdit *m_secret;
    QPushButton *m_show;
    QWidget *m_fileRow;
    QLineEdit *m_secretFile;
    QLabel *m_error;
};

} // namespace imprint::wizard
