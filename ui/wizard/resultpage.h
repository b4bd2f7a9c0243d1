#pragma once

#include <QWizardPage>

class QLabel;
class QPushButton;

namespace imprint::wizard {

class EnrollmentWizard;

// (f) The result: server_id, validity, where the files are and how renewal is set up;
// or the failure in plain words with what to check, and a retry that goes back to the
// page where the fix belongs, keeping everything typed.
class ResultPage : public QWizardPage {
    Q_OBJECT

public:
    explicit ResultPage(EnrollmentWizard *wizard);

    void initializePage() override;

    bool succeeded() const { return m_succeeded; }
    QLabel *headline() const { return m_headline; }
    QLabel *detailsLabel() const { return m_details; }
    QLabel *adviceLabel() const { return m_advice; }
    QPushButton *retryButton() const { return m_retry; }

private:
    EnrollmentWizard *m_wizard;
    QLabel *m_headline;
    QLabel *m_details;
    QLabel *m_advice;
    QPushButton *m_retry;
    bool m_succeeded = false;
};

} // namespace imprint::wizard
