#pragma once

#include "common/result.h"
#include "device/enrollment.h"
#include "fingerprint/fingerprint.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace imprint::wizard {

// What the technician gives the wizard, from the command line (prefilled) or typed into
// its pages. The window and the headless flow turn it into the same EnrollmentOptions.
struct WizardInputs {
    QString url;
    QString caPin;
    QString caFile;
    QString storeDirectory;
    QString persistDirectory; // empty: the store directory
    QString root = QStringLiteral("/");
    QString hostname;         // empty: this machine's
    QByteArray secret;        // typed, or from --secret / IMPRINT_BUILD_SECRET; never logged
    QString secretFile;       // read when `secret` is empty
};

// The service URL: https with a host; errors say what is wrong with it.
Result<QUrl> serviceUrl(const QString &text);

// This machine's fingerprint (PROTOCOL.md section 2), persisted beside the store.
Result<fingerprint::Fingerprint> machineFingerprint(const WizardInputs &inputs);

// The build secret typed or read from the secret file (which must hold exactly one).
Result<QByteArray> buildSecret(const WizardInputs &inputs);

// Everything an Enrollment needs but the build secret (added by the caller once the
// service is trusted: renewal does without); an empty `hostname` means this machine's.
Result<device::EnrollmentOptions> enrollmentOptions(const WizardInputs &inputs,
                                                    const fingerprint::Fingerprint &fingerprint);

} // namespace imprint::wizard
