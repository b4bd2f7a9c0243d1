#include "enrollmentwizard.h"

#include "credentialspage.h"
#include "enrollingpage.h"
#include "identitypage.h"
#include "resultpage.h"
#include "servicepage.h"
#include "statuspage.h"

#include <QAbstractButton>

namespace imprint::wizard {

EnrollmentWizard::EnrollmentWizard(WizardInputs inputs, const Clock &clock, QWidget *parent)
    : QWizard(parent), m_inputs(std::move(inputs)), m_clock(clock)
{
    setObjectName(QStringLiteral("enrollmentWizard"));
    setWindowTitle(tr("Imprint Enrollment"));
    // The classic style has no side banner: every pixel of a 800x480 kiosk screen goes
    // to the page.
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoBackButtonOnLastPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setStyleSheet(touchStyleSheet());

    m_status = new StatusPage(this);
    m_service = new ServicePage(this);
    m_identity = new IdentityPage(this);
    m_credentials = new CredentialsPage(this);
    m_enrolling = new EnrollingPage(this);
    m_result = new ResultPage(this);
    setPage(StatusPageId, m_status);
    setPage(ServicePageId, m_service);
    setPage(IdentityPageId, m_identity);
    setPage(CredentialsPageId, m_credentials);
    setPage(EnrollingPageId, m_enrolling);
    setPage(ResultPageId, m_result);
    setStartId(StatusPageId);
    setMinimumSize(640, 400);
    resize(800, 480);
}

EnrollmentWizard::~EnrollmentWizard() = default;

QString EnrollmentWizard::touchStyleSheet()
{
    // 40 px is about 7 mm on a typical 15" kiosk screen: a finger's width.
    // 12 pt: read at arm's length on a kiosk, often standing.
    return QStringLiteral("QWizard, QWizard QWidget { font-size: 12pt; }"
                          "QPushButton, QToolButton, QLineEdit { min-height: 40px; padding: 0 12px; }"
                          "QPushButton { min-width: 96px; }"
                          "QRadioButton::indicator, QCheckBox::indicator { width: 28px; height: 28px; }"
                          "QRadioButton, QCheckBox { min-height: 40px; }");
}

const Result<fingerprint::Fingerprint> &EnrollmentWizard::fingerprint()
{
    if (!m_fingerprint)
        m_fingerprint = machineFingerprint(m_inputs);
    return *m_fingerprint;
}

int EnrollmentWizard::nextId() const
{
    switch (currentId()) {
    case StatusPageId: return ServicePageId;
    case ServicePageId: return m_mode == Mode::Renew ? EnrollingPageId : IdentityPageId;
    case IdentityPageId: return CredentialsPageId;
    case CredentialsPageId: return EnrollingPageId;
    case EnrollingPageId: return ResultPageId;
    default: return -1;
    }
}

int EnrollmentWizard::pageFor(const device::DeviceError &error)
{
    switch (error.kind) {
    case device::DeviceError::Kind::Network:
    case device::DeviceError::Kind::Timeout:
    case device::DeviceError::Kind::Tls:
    case device::DeviceError::Kind::PinMismatch:
    case device::DeviceError::Kind::CaNotPresented:
    case device::DeviceError::Kind::MalformedResponse: return ServicePageId;
    case device::DeviceError::Kind::Http:
    case device::DeviceError::Kind::Local:
    case device::DeviceError::Kind::Cancelled: break;
    }
    return CredentialsPageId;
}

void EnrollmentWizard::retryFrom(int page)
{
    if (m_mode == Mode::Renew && page == CredentialsPageId)
        page = ServicePageId; // renewal has no credentials page
    if (!visitedIds().contains(page))
        return;
    while (currentId() != page)
        back();
}

void EnrollmentWizard::reject()
{
    m_enrolling->cancel();
    QWizard::reject();
}

} // namespace imprint::wizard
