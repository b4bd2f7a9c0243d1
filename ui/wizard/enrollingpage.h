#pragma once

#include "device/enrollment.h"

#include <QList>
#include <QPointer>
#include <QWizardPage>

class QLabel;
class QProgressBar;
class QPushButton;

namespace imprint::device {
class RenewOrReenroll;
}

namespace imprint::wizard {

class EnrollmentWizard;

// (e) The enrollment running: the steps (service check, key, CSR, request, saving) with
// the current one marked, and a cancel that leaves the store as it was. When it ends
// the wizard moves on to the result by itself. Renewal shows RenewOrReenroll's progress.
class EnrollingPage : public QWizardPage {
    Q_OBJECT

public:
    explicit EnrollingPage(EnrollmentWizard *wizard);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;

    bool isRunning() const { return m_enrollment || m_renewal; }
    // Cancels what is running; the outcome is Cancelled and the store untouched.
    void cancel();

    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *stepLabel(int number) const { return m_steps.value(number - 1); }

signals:
    void stepChanged(imprint::device::Enrollment::Step step);

private:
    void startEnrollment();
    void startRenewal();
    void showStep(device::Enrollment::Step step);
    void finished();

    EnrollmentWizard *m_wizard;
    QList<QLabel *> m_steps;
    QLabel *m_log;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPointer<device::Enrollment> m_enrollment;
    QPointer<device::RenewOrReenroll> m_renewal;
    int m_currentStep = 0;
    bool m_done = false;
};

} // namespace imprint::wizard
