#include "fingerprintcommand.h"

#include "console.h"
#include "fingerprint/fingerprint.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace {
const QString kPersistDir = QStringLiteral("persist-dir");
const QString kRoot = QStringLiteral("root");
const QString kJson = QStringLiteral("json");
} // namespace

FingerprintCommand::FingerprintCommand()
    : Command(QStringLiteral("fingerprint"), QStringLiteral("Show this machine's fingerprint and how it was derived."))
{
}

void FingerprintCommand::configure(QCommandLineParser &parser)
{
    parser.addOption({kPersistDir,
                      QStringLiteral("Directory of the identity file (imprint-identity): caches the hardware "
                                     "fingerprint, and holds the generated one when no hardware attribute can "
                                     "be read. Without it such a machine has no fingerprint."),
                      QStringLiteral("dir")});
    parser.addOption({kRoot, QStringLiteral("File-system root to read the Linux attributes under (default /)."),
                      QStringLiteral("dir"), QStringLiteral("/")});
    parser.addOption({kJson, QStringLiteral("Print a JSON object instead of text.")});
}

int FingerprintCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().constFirst()));

    imprint::fingerprint::FingerprintOptions options;
    options.root = parser.value(kRoot);
    options.persistDir = parser.value(kPersistDir);
    if (options.root.isEmpty())
        return usageError(QStringLiteral("--root needs a directory"));
    if (parser.isSet(kPersistDir) && options.persistDir.isEmpty())
        return usageError(QStringLiteral("--persist-dir needs a directory"));
    // A mistyped root would read nothing and fall through to generating an identity.
    if (!QFileInfo(options.root).isDir())
        return failure(QStringLiteral("root directory %1 does not exist").arg(options.root));

    const auto fingerprint = imprint::fingerprint::computeFingerprint(options);
    if (!fingerprint.ok())
        return failure(fingerprint.errorMessage());

    QStringList keys;
    for (const auto &attribute : fingerprint->attributes)
        keys << attribute.key;

    if (parser.isSet(kJson)) {
        QJsonObject object;
        object.insert(QStringLiteral("fingerprint"), fingerprint->value);
        object.insert(QStringLiteral("tier"), imprint::fingerprint::tierName(fingerprint->tier));
        object.insert(QStringLiteral("attributes"), QJsonArray::fromStringList(keys));
        console::json(QJsonDocument(object));
        return ExitOk;
    }
    // Keys only: the values are not secret, but the fingerprint is what matters.
    console::out(QStringLiteral("fingerprint: %1\ntier: %2\nattributes: %3\n")
                     .arg(fingerprint->value, imprint::fingerprint::tierName(fingerprint->tier),
                          keys.isEmpty() ? QStringLiteral("none") : keys.join(QLatin1String(", "))));
    return ExitOk;
}
