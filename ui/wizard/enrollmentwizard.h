#pragma once

#include "common/clock.h"
#include "device/deviceerror.h"
#include "device/enrollment.h"
#include "device/renewalpolicy.h"
#include "fingerprint/fingerprint.h"
#include "wizardinputs.h"

#include <QWizard>

#include <optional>

namespace imprint::wizard {

class StatusPage;
class ServicePage;
class IdentityPage;
class CredentialsPage;
class EnrollingPage;
class ResultPage;

// The technician's enrollment wizard (imprint wizard): status, service, identity,
// credentials, enrolling, result. The pages drive the same core/device objects as
// `imprint enroll` (TrustProbe, Enrollment, RenewOrReenroll); nothing secret is sent
// before the service page has verified the service against the pin. A failure lands on
// the result page with a retry that goes back to the page where the fix belongs and
// keeps everything typed.
class EnrollmentWizard : public QWizard {
    Q_OBJECT

public:
    enum PageId { StatusPageId, ServicePageId, IdentityPageId, CredentialsPageId, EnrollingPageId, ResultPageId };
    Q_ENUM(PageId)
    // Enroll (first time or again, with a new key) or renew the certificate held.
    enum class Mode { Enroll, Renew };

    EnrollmentWizard(WizardInputs inputs, const Clock &clock, QWidget *parent = nullptr);
    ~EnrollmentWizard() override;

    // What the pages share. The pages write the inputs as the technician types.
    WizardInputs &inputs() { return m_inputs; }
    const Clock &clock() const { return m_clock; }
    Mode mode() const { return m_mode; }
    void setMode(Mode mode) { m_mode = mode; }
    // The fingerprint, computed once (the identity page shows it; the status page's
    // renewal needs it too); an error when it cannot be had.
    const Result<fingerprint::Fingerprint> &fingerprint();

    // The outcome of the enrolling page, read by the result page.
    struct Outcome {
        std::optional<device::DeviceError> error;
        QString serverId;
        QDateTime notBefore;
        QDateTime notAfter;
        QString storeDirectory;
        QString action; // in Renew mode: what RenewOrReenroll did
    };
    const Outcome &outcome() const { return m_outcome; }
    void setOutcome(Outcome outcome) { m_outcome = std::move(outcome); }

    // Goes back to `page` (which must have been visited), keeping what the pages hold.
    void retryFrom(int page);
    // The page where the cause of `error` is fixed.
    static int pageFor(const device::DeviceError &error);

    int nextId() const override;

    // Large targets for fingers, sized for 800x480 and up.
    static QString touchStyleSheet();

    StatusPage *statusPage() const { return m_status; }
    ServicePage *servicePage() const { return m_service; }
    IdentityPage *identityPage() const { return m_identity; }
    CredentialsPage *credentialsPage() const { return m_credentials; }
    EnrollingPage *enrollingPage() const { return m_enrolling; }
    ResultPage *resultPage() const { return m_result; }

public slots:
    // Cancels an enrollment in flight (leaving the store as it was) before closing.
    void reject() override;

private:
    WizardInputs m_inputs;
    const Clock &m_clock;
    Mode m_mode = Mode::Enroll;
    std::optional<Result<fingerprint::Fingerprint>> m_fingerprint;
    Outcome m_outcome;
    StatusPage *m_status;
    ServicePage *m_service;
    IdentityPage *m_identity;
    CredentialsPage *m_credentials;
    EnrollingPage *m_enrolling;
    ResultPage *m_result;
};

} // namespace imprint::wizard
