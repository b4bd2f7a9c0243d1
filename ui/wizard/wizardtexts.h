#pragma once

#include "device/deviceerror.h"
#include "device/enrollment.h"
#include "device/credentialstore.h"
#include "device/inspection.h"
#include "device/servicetrust.h"
#include "fingerprint/fingerprint.h"

#include <QCoreApplication>
#include <QString>

namespace imprint::wizard {

// Every sentence the wizard says about the enrollment, in one place: the window and
// `imprint wizard --headless` print the same steps and the same error texts, so a
// technician's script and the window read alike (and translate alike).
class Texts {
    Q_DECLARE_TR_FUNCTIONS(imprint::wizard::Texts)

public:
    // The enrollment's steps as the progress list names them; the service check is
    // step 1 of kStepCount, saving the last.
    static constexpr int kStepCount = 5;
    static QString step(device::Enrollment::Step step);
    static int stepNumber(device::Enrollment::Step step); // 1..kStepCount; Done: kStepCount

    // "valid", "renewal due", ...: the certificate's state in plain words.
    static QString state(device::CredentialStatus::State state);
    // One line on what the store holds: "Not enrolled." or "Enrolled as srv_... (valid
    // until ..., 200 days left)."
    static QString statusSummary(const device::CredentialStatus &status, const QDateTime &now);

    static QString tier(fingerprint::Tier tier);
    // The identity page's facts as lines.
    static QString identity(const QString &fingerprint, fingerprint::Tier tier, const QString &hostname,
                            const QString &os, const QString &arch);

    static QString service(const QString &url);
    static QString fingerprintFailed(const QString &why);

    // The service check passed: who the service is; `pinned` false when the system's
    // roots decided.
    static QString serviceVerified(const device::ServiceTrust &trust, bool pinned);

    // Success: the headline and what was stored where.
    static QString enrolled(const QString &serverId);
    static QString credentialsDetails(const QString &serverId, const QDateTime &notBefore, const QDateTime &notAfter,
                                      const QDateTime &now, const device::CredentialStore &store);

    // A failure in the words of someone who will fix it: a title ("The build secret was
    // refused"), what the service or the system said, and what to check.
    static QString failureTitle(const device::DeviceError &error);
    static QString failureAdvice(const device::DeviceError &error);
    // The pins side by side, for a pin mismatch; empty otherwise.
    static QString pinComparison(const device::DeviceError &error);
    // Title, details, pins and advice as one plain text (headless output, logs).
    static QString failureReport(const device::DeviceError &error);

    // How this machine keeps its certificate renewed from now on.
    static QString renewalSetup(const QString &url, const QString &storeDirectory);
};

} // namespace imprint::wizard
