#include "enrollingpage.h"

#include "device/renewalpolicy.h"
#include "enrollmentwizard.h"
#include "servicepage.h"
#include "wizardtexts.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace imprint::wizard {

using Step = device::Enrollment::Step;

namespace {

// The steps in the order Enrollment reports them.
constexpr Step kSteps[] = {Step::CheckingService, Step::GeneratingKey, Step::CreatingRequest, Step::Sending,
                           Step::Saving};

} // namespace

EnrollingPage::EnrollingPage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("enrollingPage"));
    auto *layout = new QVBoxLayout(this);
    for (Step step : kSteps) {
        auto *label = new QLabel(Texts::step(step), this);
        label->setObjectName(QStringLiteral("step%1").arg(Texts::stepNumber(step)));
        layout->addWidget(label);
        m_steps << label;
    }
    m_log = new QLabel(this);
    m_log->setObjectName(QStringLiteral("renewalLog"));
    m_log->setWordWrap(true);
    m_log->setTextFormat(Qt::PlainText);
    layout->addWidget(m_log);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setTextVisible(false);
    layout->addWidget(m_progress);
    m_cancel = new QPushButton(tr("Cancel enrollment"), this);
    m_cancel->setObjectName(QStringLiteral("cancelEnrollment"));
    layout->addWidget(m_cancel, 0, Qt::AlignLeft);
    layout->addStretch();
    connect(m_cancel, &QPushButton::clicked, this, &EnrollingPage::cancel);
}

void EnrollingPage::initializePage()
{
    m_done = false;
    m_currentStep = 0;
    m_log->clear();
    m_cancel->setEnabled(true);
    const bool renewing = m_wizard->mode() == EnrollmentWizard::Mode::Renew;
    setTitle(renewing ? tr("Renewing") : tr("Enrolling"));
    m_cancel->setText(renewing ? tr("Cancel renewal") : tr("Cancel enrollment"));
    for (QLabel *label : std::as_const(m_steps))
        label->setVisible(!renewing);
    m_log->setVisible(renewing);
    // Started once the page is on screen, so that the first step is seen to begin.
    QTimer::singleShot(0, this, renewing ? &EnrollingPage::startRenewal : &EnrollingPage::startEnrollment);
}

void EnrollingPage::startEnrollment()
{
    auto fingerprint = m_wizard->fingerprint();
    auto options = fingerprint ? enrollmentOptions(m_wizard->inputs(), fingerprint.value())
                               : Result<device::EnrollmentOptions>(fingerprint.error());
    auto secret = buildSecret(m_wizard->inputs());
    if (!options || !secret) {
        const QString message = !options ? options.errorMessage() : secret.errorMessage();
        m_wizard->setOutcome({device::DeviceError::make(device::DeviceError::Kind::Local, message), {}, {}, {}, {}, {}});
        finished();
        return;
    }
    options.value().buildSecret = secret.value();
    m_progress->setRange(0, Texts::kStepCount);
    m_progress->setValue(0);
    showStep(Step::CheckingService);
    m_enrollment = new device::Enrollment(options.value(), this);
    connect(m_enrollment, &device::Enrollment::stepChanged, this, &EnrollingPage::showStep);
    connect(m_enrollment, &device::Enrollment::finished, this, [this] {
        const auto &result = m_enrollment->result();
        EnrollmentWizard::Outcome outcome;
        if (result) {
            outcome.serverId = result->serverId;
            outcome.notBefore = result->certificate.notBefore();
            outcome.notAfter = result->certificate.notAfter();
            outcome.storeDirectory = result->storeDirectory;
        } else {
            outcome.error = result.error();
        }
        m_wizard->setOutcome(outcome);
        m_enrollment->deleteLater();
        m_enrollment = nullptr;
        finished();
    });
    m_enrollment->start();
}

void EnrollingPage::startRenewal()
{
    auto fingerprint = m_wizard->fingerprint();
    auto options = fingerprint ? enrollmentOptions(m_wizard->inputs(), fingerprint.value())
                               : Result<device::EnrollmentOptions>(fingerprint.error());
    if (!options) {
        m_wizard->setOutcome(
            {device::DeviceError::make(device::DeviceError::Kind::Local, options.errorMessage()), {}, {}, {}, {}, {}});
        finished();
        return;
    }
    // A renewal on request: tier 1 now, falling through to the challenge when expired.
    device::RenewalPolicy policy;
    policy.force = true;
    m_progress->setRange(0, 0); // busy: the tiers taken are not known in advance
    m_renewal = new device::RenewOrReenroll(options.value(), policy, m_wizard->clock(), this);
    connect(m_renewal, &device::RenewOrReenroll::progress, this, [this](const QString &message) {
        m_log->setText(m_log->text().isEmpty() ? message : m_log->text() + QLatin1Char('\n') + message);
    });
    connect(m_renewal, &device::RenewOrReenroll::finished, this, [this] {
        const auto &result = m_renewal->result();
        EnrollmentWizard::Outcome outcome;
        outcome.storeDirectory = m_wizard->inputs().storeDirectory;
        if (result)
            outcome.action = device::actionName(result.value());
        else
            outcome.error = result.error();
        m_wizard->setOutcome(outcome);
        m_renewal->deleteLater();
        m_renewal = nullptr;
        finished();
    });
    m_renewal->start();
}

void EnrollingPage::showStep(Step step)
{
    if (step == Step::Done)
        return;
    const int number = Texts::stepNumber(step);
    for (int i = 0; i < m_steps.size(); ++i) {
        QLabel *label = m_steps.at(i);
        // ✓ done, ▶ running, ○ still to come: readable without colour.
        const QString mark = i + 1 < number ? QStringLiteral("✓") : i + 1 == number ? QStringLiteral("▶")
                                                                                      : QStringLiteral("○");
        label->setText(mark + QLatin1Char(' ') + Texts::step(kSteps[i]));
        label->setStyleSheet(i + 1 == number ? QStringLiteral("font-weight: bold;") : QString());
    }
    m_currentStep = number;
    m_progress->setValue(number - 1);
    emit stepChanged(step);
}

void EnrollingPage::cancel()
{
    if (m_enrollment)
        m_enrollment->cancel(); // finishes at once with Cancelled
    else if (m_renewal)
        m_renewal->cancel();
}

void EnrollingPage::finished()
{
    m_done = true;
    m_cancel->setEnabled(false);
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    m_progress->setValue(m_progress->maximum());
    emit completeChanged();
    // Out of the operation's signal: the page change destroys nothing of it, but a
    // handler further down the same emission should still see this page.
    QTimer::singleShot(0, m_wizard, [wizard = m_wizard, page = this] {
        if (wizard->currentPage() == page)
            wizard->next();
    });
}

void EnrollingPage::cleanupPage()
{
    // Back (or a retry) while it runs: stop it, keep the store as it was.
    cancel();
}

bool EnrollingPage::isComplete() const
{
    return m_done;
}

} // namespace imprint::wizard
