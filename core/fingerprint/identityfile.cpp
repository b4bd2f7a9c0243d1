#include "fingerprint/identityfile.h"

#include "common/atomicfile.h"
#include "common/logging.h"
#include "fingerprint/attributes.h"

#include <QDir>
#include <QFileInfo>

namespace imprint::fingerprint {

namespace {
// A fingerprint is 71 bytes; anything much larger is not an identity file.
constexpr qint64 kMaxIdentityFile = qint64(64) * 1024;
} // namespace

QString identityFilePath(const QString &persistDir)
{
    return QDir(persistDir).filePath(kIdentityFileName);
}

Result<QString> readIdentityFile(const QString &persistDir)
{
    const QString path = identityFilePath(persistDir);
    if (!QFileInfo::exists(path))
        return QString();
    const auto data = readFileLimited(path, kMaxIdentityFile);
    if (!data.ok())
        return Result<QString>::failure(QStringLiteral("cannot read the identity file: %1").arg(data.errorMessage()));
    const QString content = QString::fromUtf8(data.value()).trimmed();
    if (!content.isEmpty() && !isWellFormedFingerprint(content)) {
        qCWarning(lcFingerprint).noquote() << "event=identity_malformed"
                                           << "path=" + path << "action=used_as_is";
    }
    return content;
}

Status writeIdentityFile(const QString &persistDir, const QString &fingerprint)
{
    if (!QFileInfo(persistDir).isDir()) {
        if (Status created = ensureDirectory(persistDir, 0700); !created)
            return created;
    }
    return writeFileAtomically(identityFilePath(persistDir), (fingerprint + u'\n').toUtf8(), 0600);
}

} // namespace imprint::fingerprint
