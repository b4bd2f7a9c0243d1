#include "headlesswizard.h"

#include "device/credentialstore.h"
#include "device/enrollment.h"
#include "device/inspection.h"
#include "device/runtocompletion.h"
#include "device/servicetrust.h"
#include "wizardtexts.h"


namespace imprint::wizard {

namespace {

using device::runToCompletion;

} // namespace

HeadlessWizard::HeadlessWizard(WizardInputs inputs, const Clock &clock, QTextStream &out, QTextStream &err)
    : m_inputs(std::move(inputs)), m_clock(clock), m_out(out), m_err(err)
{
}

int HeadlessWizard::fail(const QString &report)
{
    m_out.flush();
    m_err << report;
    if (!report.endsWith(QLatin1Char('\n')))
        m_err << '\n';
    m_err.flush();
    return 1;
}

int HeadlessWizard::run()
{
    const QDateTime now = m_clock.now();
    const device::CredentialStore store(m_inputs.storeDirectory);

    // (a) status
    if (auto status = device::inspect(store, now); status)
        m_out << Texts::statusSummary(status.value(), now) << '\n';

    // (b) service: verified before anything secret leaves this machine
    auto options = enrollmentOptions(m_inputs, fingerprint::Fingerprint{});
    if (!options)
        return fail(options.errorMessage());
    m_out << Texts::service(options->url.toString()) << '\n';
    m_out.flush();
    device::TrustProbe probe(options->url, options->trust);
    runToCompletion(probe);
    if (!probe.result())
        return fail(Texts::failureReport(probe.result().error()));
    m_out << Texts::serviceVerified(probe.result().value(),
                                    !options->trust.caPin.isEmpty() || !options->trust.caFile.isEmpty())
          << '\n';

    // (c) identity
    auto fingerprint = machineFingerprint(m_inputs);
    if (!fingerprint)
        return fail(Texts::fingerprintFailed(fingerprint.errorMessage()));
    options->fingerprint = fingerprint->value;
    m_out << Texts::identity(fingerprint->value, fingerprint->tier, options->hostname, options->os, options->arch)
          << '\n';

    // (d) credentials
    auto secret = buildSecret(m_inputs);
    if (!secret)
        return fail(secret.errorMessage());
    options->buildSecret = secret.value();

    // (e) enrolling
    device::Enrollment enrollment(options.value());
    QObject::connect(&enrollment, &device::Enrollment::stepChanged, [this](device::Enrollment::Step step) {
        if (step == device::Enrollment::Step::Done)
            return;
        m_out << QStringLiteral("[%1/%2] ").arg(Texts::stepNumber(step)).arg(Texts::kStepCount) << Texts::step(step)
              << '\n';
        m_out.flush();
    });
    runToCompletion(enrollment);

    // (f) result
    const auto &result = enrollment.result();
    if (!result)
        return fail(Texts::failureReport(result.error()));
    m_out << Texts::enrolled(result->serverId) << '\n'
          << Texts::credentialsDetails(result->serverId, result->certificate.notBefore(),
                                       result->certificate.notAfter(), m_clock.now(), store)
          << '\n'
          << Texts::renewalSetup(options->url.toString(), result->storeDirectory) << '\n';
    m_out.flush();
    return 0;
}

} // namespace imprint::wizard
