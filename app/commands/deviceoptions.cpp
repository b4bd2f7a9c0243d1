#include "deviceoptions.h"

#include "common/duration.h"
#include "commonoptions.h"
#include "device/credentialstore.h"
#include "device/platform.h"
#include "fingerprint/fingerprint.h"

#include <QHostInfo>

using namespace imprint;

namespace deviceoptions {

void add(QCommandLineParser &parser, unsigned groups)
{
    if (groups & Service)
        parser.addOption(QCommandLineOption(QStringLiteral("url"),
                                            QStringLiteral("The enrollment service, e.g. https://ca.example:8443."),
                                            QStringLiteral("URL")));
    if (groups & Store)
        parser.addOption(QCommandLineOption(QStringLiteral("store-dir"),
                                            QStringLiteral("The device's credential store (default: %1).")
                                                .arg(device::CredentialStore::defaultDirectory()),
                                            QStringLiteral("DIR"), device::CredentialStore::defaultDirectory()));
    if (groups & Trust) {
        parser.addOption(QCommandLineOption(QStringLiteral("ca-pin"),
                                            QStringLiteral("Trust the service whose chain holds the CA with this pin "
                                                           "(as printed by 'imprint ca show')."),
                                            QStringLiteral("sha256:HEX")));
        parser.addOption(QCommandLineOption(QStringLiteral("ca-file"),
                                            QStringLiteral("Trust the service whose certificate verifies against the "
                                                           "CA certificate in FILE."),
                                            QStringLiteral("FILE")));
    }
    if (groups & Identity) {
        parser.addOption(QCommandLineOption(QStringLiteral("persist-dir"),
                                            QStringLiteral("Where the fingerprint's identity file is kept (default: "
                                                           "the store directory)."),
                                            QStringLiteral("DIR")));
        parser.addOption(QCommandLineOption(QStringLiteral("root"),
                                            QStringLiteral("File-system root to read the fingerprint's attributes "
                                                           "under (default: /)."),
                                            QStringLiteral("DIR"), QStringLiteral("/")));
        parser.addOption(QCommandLineOption(QStringLiteral("hostname"),
                                            QStringLiteral("Host name to report (default: this machine's)."),
                                            QStringLiteral("NAME")));
    }
    if (groups & Secret) {
        parser.addOption(commonoptions::secretFileOption());
        parser.addOption(commonoptions::secretOption());
    }
    if (groups & Renewal) {
        parser.addOption(QCommandLineOption(QStringLiteral("threshold"),
                                            QStringLiteral("Renew when less than this is left (default: 30d)."),
                                            QStringLiteral("DURATION"), QStringLiteral("30d")));
        parser.addOption(QCommandLineOption(QStringLiteral("challenge-window"),
                                            QStringLiteral("How long after expiry a signed challenge may renew "
                                                           "(default: 30d)."),
                                            QStringLiteral("DURATION"), QStringLiteral("30d")));
    }
}

QString storeDirectory(const QCommandLineParser &parser)
{
    return parser.value(QStringLiteral("store-dir"));
}

Result<device::EnrollmentOptions> enrollmentOptions(const QCommandLineParser &parser, bool secretRequired)
{
    using Options = Result<device::EnrollmentOptions>;
    device::EnrollmentOptions options;
    const QString url = parser.value(QStringLiteral("url"));
    if (url.isEmpty())
        return Options::failure(QStringLiteral("--url is required, e.g. --url https://ca.example:8443"));
    options.url = QUrl(url, QUrl::StrictMode);
    if (!options.url.isValid() || options.url.scheme() != QLatin1String("https") || options.url.host().isEmpty())
        return Options::failure(QStringLiteral("--url must be an https:// URL, got \"%1\"").arg(url));
    if (parser.isSet(QStringLiteral("ca-pin")) && parser.isSet(QStringLiteral("ca-file")))
        return Options::failure(QStringLiteral("give either --ca-pin or --ca-file, not both"));
    options.trust.caPin = parser.value(QStringLiteral("ca-pin"));
    options.trust.caFile = parser.value(QStringLiteral("ca-file"));

    auto secrets = commonoptions::buildSecrets(parser);
    if (!secrets)
        return secrets.error();
    if (secrets.value().size() > 1)
        return Options::failure(QStringLiteral("a device sends one build secret; the file holds several"));
    if (secrets.value().isEmpty() && secretRequired)
        return Options::failure(QStringLiteral("no build secret: ") + QLatin1String(commonoptions::kBuildSecretHelp));
    options.buildSecret = secrets.value().value(0);

    options.storeDirectory = storeDirectory(parser);
    fingerprint::FingerprintOptions fingerprintOptions;
    fingerprintOptions.root = parser.value(QStringLiteral("root"));
    fingerprintOptions.persistDir = parser.isSet(QStringLiteral("persist-dir"))
        ? parser.value(QStringLiteral("persist-dir"))
        : options.storeDirectory;
    auto fingerprint = fingerprint::computeFingerprint(fingerprintOptions);
    if (!fingerprint)
        return fingerprint.error();
    options.fingerprint = fingerprint->value;
    options.hostname = parser.isSet(QStringLiteral("hostname")) ? parser.value(QStringLiteral("hostname"))
                                                                : QHostInfo::localHostName();
    options.os = device::operatingSystem();
    options.arch = device::architecture();
    return options;
}

Result<device::RenewalPolicy> renewalPolicy(const QCommandLineParser &parser)
{
    device::RenewalPolicy policy;
    auto threshold = parseDuration(parser.value(QStringLiteral("threshold")));
    if (!threshold)
        return Result<device::RenewalPolicy>::failure(QStringLiteral("--threshold: ") + threshold.errorMessage());
    auto window = parseDuration(parser.value(QStringLiteral("challenge-window")));
    if (!window)
        return Result<device::RenewalPolicy>::failure(QStringLiteral("--challenge-window: ") + window.errorMessage());
    policy.threshold = threshold.value();
    policy.challengeWindow = window.value();
    return policy;
}

} // namespace deviceoptions
