#include "wizardtexts.h"

#include "common/format.h"

namespace imprint::wizard {

using device::DeviceError;
using Step = device::Enrollment::Step;
using State = device::CredentialStatus::State;

QString Texts::step(Step step)
{
    switch (step) {
    case Step::CheckingService: return tr("Checking the service's identity");
    case Step::GeneratingKey: return tr("Generating the device key");
    case Step::CreatingRequest: return tr("Creating the certificate request");
    case Step::Sending: return tr("Sending the enrollment request");
    case Step::Saving: return tr("Saving the credentials");
    case Step::Done: return tr("Enrolled");
    }
    return {};
}

int Texts::stepNumber(Step step)
{
    switch (step) {
    case Step::CheckingService: return 1;
    case Step::GeneratingKey: return 2;
    case Step::CreatingRequest: return 3;
    case Step::Sending: return 4;
    case Step::Saving:
    case Step::Done: return kStepCount;
    }
    return 0;
}

QString Texts::state(State state)
{
    switch (state) {
    case State::Valid: return tr("valid");
    case State::RenewalDue: return tr("valid, renewal due");
    case State::ExpiredInWindow: return tr("expired, renewable with a signed challenge");
    case State::ExpiredBeyondWindow: return tr("expired, must enroll again");
    case State::NotEnrolled: return tr("not enrolled");
    case State::Unreadable: return tr("unreadable");
    }
    return {};
}

QString Texts::statusSummary(const device::CredentialStatus &status, const QDateTime &now)
{
    if (status.state == State::NotEnrolled)
        return tr("This machine is not enrolled yet (store %1).").arg(status.storeDirectory);
    if (status.state == State::Unreadable)
        return tr("The store %1 holds credentials that cannot be used: %2").arg(status.storeDirectory, status.problem);
    return tr("Enrolled as %1, certificate valid until %2 (%3), %4.")
        .arg(status.serverId, ui::formatDateTime(status.notAfter), ui::formatDaysLeft(status.notAfter, now),
             state(status.state));
}

QString Texts::tier(fingerprint::Tier tier)
{
    switch (tier) {
    case fingerprint::Tier::Hardware: return tr("hardware (read from this machine)");
    case fingerprint::Tier::Persisted: return tr("persisted (from the identity file)");
    case fingerprint::Tier::Generated: return tr("generated (new random identity, now persisted)");
    }
    return {};
}

QString Texts::identity(const QString &fingerprint, fingerprint::Tier tier, const QString &hostname,
                        const QString &os, const QString &arch)
{
    return tr("Fingerprint: %1\nFrom: %2\nHost name: %3\nSystem: %4 / %5")
        .arg(fingerprint, Texts::tier(tier), hostname, os, arch);
}

QString Texts::service(const QString &url)
{
    return tr("Service: %1").arg(url);
}

QString Texts::fingerprintFailed(const QString &why)
{
    return tr("This machine's fingerprint cannot be computed: %1").arg(why);
}

QString Texts::serviceVerified(const device::ServiceTrust &trust, bool pinned)
{
    QString text = tr("Service verified. Nothing secret has been sent yet.\nCA: %1\nCA pin: %2\nService: %3")
                       .arg(trust.caSubject, trust.caPin, trust.serviceSubject);
    if (!pinned)
        text += QLatin1Char('\n') + tr("No pin was given: the system's trusted roots vouched for this service.");
    return text;
}

QString Texts::enrolled(const QString &serverId)
{
    return tr("This machine is enrolled as %1.").arg(serverId);
}

QString Texts::credentialsDetails(const QString &serverId, const QDateTime &notBefore, const QDateTime &notAfter,
                                  const QDateTime &now, const device::CredentialStore &store)
{
    return tr("server_id: %1\nCertificate valid from %2 until %3 (%4)\n"
              "Key: %5\nCertificate: %6\nCA: %7\nEnrollment: %8")
        .arg(serverId, ui::formatDateTime(notBefore), ui::formatDateTime(notAfter), ui::formatDaysLeft(notAfter, now),
             store.keyPath(), store.certificatePath(), store.caPath(), store.enrollmentPath());
}

QString Texts::failureTitle(const DeviceError &error)
{
    switch (error.kind) {
    case DeviceError::Kind::Network: return tr("The service cannot be reached");
    case DeviceError::Kind::Timeout: return tr("The service did not answer in time");
    case DeviceError::Kind::Tls: return tr("The secure connection to the service failed");
    case DeviceError::Kind::PinMismatch: return tr("The service's CA does not match the pin");
    case DeviceError::Kind::CaNotPresented: return tr("The service does not send its CA, so the pin cannot be checked");
    case DeviceError::Kind::Http:
        if (error.httpStatus == 401)
            return tr("The service refused the build secret");
        if (error.httpStatus == 403)
            return tr("The service refuses this device");
        if (error.httpStatus == 400)
            return tr("The service rejected the request");
        return tr("The service answered with an error (HTTP %1)").arg(error.httpStatus);
    case DeviceError::Kind::MalformedResponse: return tr("The service's answer is not an Imprint answer");
    case DeviceError::Kind::Local: return tr("Something failed on this machine");
    case DeviceError::Kind::Cancelled: return tr("Enrollment cancelled; nothing was saved");
    }
    return {};
}

QString Texts::failureAdvice(const DeviceError &error)
{
    switch (error.kind) {
    case DeviceError::Kind::Network:
    case DeviceError::Kind::Timeout:
        return tr("Check the URL, that the service is running, and that this machine can reach it "
                  "(network cable, Wi-Fi, firewall).");
    case DeviceError::Kind::Tls:
        return tr("Check the CA pin and the host name in the URL; the service may present a certificate "
                  "that is not from its Imprint CA.");
    case DeviceError::Kind::PinMismatch:
        return tr("Compare the pin with the operator's ('imprint ca show' on the service). Nothing secret "
                  "was sent to this service.");
    case DeviceError::Kind::CaNotPresented:
        return tr("Use the CA certificate file instead of the pin (ask the operator for it), or have the "
                  "service send its CA certificate with its own. Nothing secret was sent to this service.");
    case DeviceError::Kind::Http:
        if (error.httpStatus == 401)
            return tr("Check the build secret: it must be one of the service's, exactly, without extra spaces.");
        if (error.httpStatus == 403)
            return tr("Ask the operator: this device may have been revoked.");
        return tr("Note the message above and tell the operator.");
    case DeviceError::Kind::MalformedResponse:
        return tr("Check that the URL is the Imprint service and not another web server.");
    case DeviceError::Kind::Local:
        return tr("Check that the store directory is writable and the disk is not full.");
    case DeviceError::Kind::Cancelled: return tr("Start again when you are ready.");
    }
    return {};
}

QString Texts::pinComparison(const DeviceError &error)
{
    if (error.kind != DeviceError::Kind::PinMismatch)
        return {};
    return tr("Expected pin: %1\nFound pin:    %2").arg(error.expectedPin, error.foundPin);
}

QString Texts::failureReport(const DeviceError &error)
{
    QString report = failureTitle(error) + QLatin1Char('\n');
    // A pin mismatch's message only repeats the pins shown below it.
    if (!error.message.isEmpty() && error.kind != DeviceError::Kind::Cancelled
        && error.kind != DeviceError::Kind::PinMismatch)
        report += QStringLiteral("  ") + error.message + QLatin1Char('\n');
    if (const QString pins = pinComparison(error); !pins.isEmpty())
        report += QStringLiteral("  ") + QString(pins).replace(QLatin1Char('\n'), QStringLiteral("\n  "))
                  + QLatin1Char('\n');
    report += failureAdvice(error) + QLatin1Char('\n');
    return report;
}

QString Texts::renewalSetup(const QString &url, const QString &storeDirectory)
{
    return tr("The certificate renews itself while 'imprint daemon' runs. With the packaged service unit: "
              "put IMPRINT_URL=%1 and IMPRINT_STORE_DIR=%2 into /etc/default/imprint-daemon and run "
              "'systemctl enable --now imprint-daemon'. Or start it yourself:\n"
              "imprint daemon --url %1 --store-dir %2")
        .arg(url, storeDirectory);
}

} // namespace imprint::wizard
