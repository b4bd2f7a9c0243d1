#include "common/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace imprint {

namespace {

AtomicWriteFaultHook g_faultHook = nullptr;

bool injectedFault(const QString &path, AtomicWriteStep step)
{
    return g_faultHook && !g_faultHook(path, step);
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QByteArray nativePath(const QString &path)
{
    return QFile::encodeName(path);
}

} // namespace

void setAtomicWriteFaultHook(AtomicWriteFaultHook hook)
{
    g_faultHook = hook;
}

Status writeFileDurably(const QString &path, const QByteArray &data, mode_t mode)
{
    const QByteArray native = nativePath(path);
    if (injectedFault(path, AtomicWriteStep::Create))
        return Status::failure(QStringLiteral("cannot create %1: injected failure").arg(path));
    // O_EXCL: never follow or reuse a file someone else placed at the staging name.
    ::unlink(native.constData());
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return Status::failure(QStringLiteral("cannot create %1: %2").arg(path, systemError(errno)));

    auto fail = [&](const QString &what, int error) {
        ::close(fd);
        ::unlink(native.constData());
        return Status::failure(QStringLiteral("cannot %1 %2: %3").arg(what, path, systemError(error)));
    };

    // The umask may have removed bits from `mode`; the protocol fixes exact modes.
    if (::fchmod(fd, mode) != 0)
        return fail(QStringLiteral("set the mode of"), errno);

    if (injectedFault(path, AtomicWriteStep::Write))
        return fail(QStringLiteral("write"), EIO);
    const char *cursor = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, cursor, static_cast<size_t>(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return fail(QStringLiteral("write"), errno);
        }
        cursor += written;
        left -= written;
    }
    if (injectedFault(path, AtomicWriteStep::Flush))
        return fail(QStringLiteral("flush"), EIO);
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("flush"), errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(native.constData());
        return Status::failure(QStringLiteral("cannot close %1: %2").arg(path, systemError(error)));
    }
    return {};
}

Status renameFile(const QString &from, const QString &to)
{
    if (injectedFault(to, AtomicWriteStep::Rename))
        return Status::failure(QStringLiteral("cannot rename %1 to %2: injected failure").arg(from, to));
    if (::rename(nativePath(from).constData(), nativePath(to).constData()) != 0)
        return Status::failure(QStringLiteral("cannot rename %1 to %2: %3").arg(from, to, systemError(errno)));
    return {};
}

Status syncDirectory(const QString &directory)
{
    if (injectedFault(directory, AtomicWriteStep::SyncDirectory))
        return Status::failure(QStringLiteral("cannot sync directory %1: injected failure").arg(directory));
    const int fd = ::open(nativePath(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return Status::failure(QStringLiteral("cannot open directory %1: %2").arg(directory, systemError(errno)));
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        return Status::failure(QStringLiteral("cannot sync directory %1: %2").arg(directory, systemError(error)));
    return {};
}

Status writeFileAtomically(const QString &path, const QByteArray &data, mode_t mode)
{
    const QFileInfo info(path);
    const QString temporary = info.absolutePath() + QLatin1String("/.") + info.fileName() + QLatin1String(".tmp");
    if (Status written = writeFileDurably(temporary, data, mode); !written)
        return written;
    if (Status renamed = renameFile(temporary, path); !renamed) {
        ::unlink(nativePath(temporary).constData());
        return renamed;
    }
    return syncDirectory(info.absolutePath());
}

Status ensureDirectory(const QString &directory, mode_t mode)
{
    if (!QDir().mkpath(directory))
        return Status::failure(QStringLiteral("cannot create directory %1").arg(directory));
    if (::chmod(nativePath(directory).constData(), mode) != 0)
        return Status::failure(QStringLiteral("cannot set the mode of %1: %2").arg(directory, systemError(errno)));
    return {};
}

Result<QByteArray> readFileLimited(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > maxBytes)
        return Result<QByteArray>::failure(
            QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    QByteArray data = file.read(maxBytes + 1);
    if (data.size() > maxBytes)
        return Result<QByteArray>::failure(
            QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    if (file.error() != QFileDevice::NoError)
        return Result<QByteArray>::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return data;
}

} // namespace imprint
