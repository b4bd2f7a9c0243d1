#include "wizardinputs.h"

#include "common/secretfile.h"
#include "device/platform.h"

#include <QCoreApplication>
#include <QHostInfo>

namespace imprint::wizard {

Result<QUrl> serviceUrl(const QString &input)
{
    const QString trimmed = input.trimmed();
    if (trimmed.isEmpty())
        return Result<QUrl>::failure(QCoreApplication::translate("imprint::wizard::Inputs",
                                                               "Enter the service URL, e.g. https://ca.example:8443"));
    QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty())
        return Result<QUrl>::failure(
            QCoreApplication::translate("imprint::wizard::Inputs", "The service URL must start with https:// and name "
                                                                   "a host, e.g. https://ca.example:8443"));
    return url;
}

Result<fingerprint::Fingerprint> machineFingerprint(const WizardInputs &inputs)
{
    fingerprint::FingerprintOptions options;
    options.root = inputs.root.isEmpty() ? QStringLiteral("/") : inputs.root;
    options.persistDir = inputs.persistDirectory.isEmpty() ? inputs.storeDirectory : inputs.persistDirectory;
    return fingerprint::computeFingerprint(options);
}

Result<QByteArray> buildSecret(const WizardInputs &inputs)
{
    if (!inputs.secret.isEmpty())
        return inputs.secret;
    if (inputs.secretFile.isEmpty())
        return Result<QByteArray>::failure(QCoreApplication::translate(
            "imprint::wizard::Inputs", "Type the build secret or choose the file that holds it."));
    auto secrets = readSecretFile(inputs.secretFile);
    if (!secrets)
        return secrets.error();
    if (secrets->size() > 1)
        return Result<QByteArray>::failure(
            QCoreApplication::translate("imprint::wizard::Inputs", "%1 holds several build secrets; a device sends one.")
                .arg(inputs.secretFile));
    return secrets->first();
}

Result<device::EnrollmentOptions> enrollmentOptions(const WizardInputs &inputs,
                                                    const fingerprint::Fingerprint &fingerprint)
{
    auto url = serviceUrl(inputs.url);
    if (!url)
        return url.error();
    device::EnrollmentOptions options;
    options.url = url.value();
    options.trust.caPin = inputs.caPin.trimmed();
    options.trust.caFile = inputs.caFile.trimmed();
    options.storeDirectory = inputs.storeDirectory;
    options.fingerprint = fingerprint.value;
    options.hostname = inputs.hostname.trimmed().isEmpty() ? QHostInfo::localHostName() : inputs.hostname.trimmed();
    options.os = device::operatingSystem();
    options.arch = device::architecture();
    return options;
}

} // namespace imprint::wizard
