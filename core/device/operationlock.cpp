#include "device/operationlock.h"

#include "common/atomicfile.h"
#include "common/logging.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace imprint::device {

OperationLock::OperationLock(QString storeDirectory, const Clock &clock, QObject *parent)
    : QObject(parent), m_directory(std::move(storeDirectory)), m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OperationLock::poll);
}

OperationLock::~OperationLock()
{
    release();
}

QString OperationLock::lockPath() const
{
    return m_directory + u'/' + kFileName;
}

void OperationLock::acquire()
{
    if (m_fd >= 0)
        return;
    // The store's own directory mode, so that creating it here changes nothing for save().
    if (Status created = ensureDirectory(m_directory, 0700); !created) {
        emit failed(created.errorMessage());
        return;
    }
    m_fd = ::open(QFile::encodeName(lockPath()).constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_fd < 0) {
        const int error = errno;
        emit failed(QStringLiteral("cannot open the lock file %1: %2")
                        .arg(lockPath(), QString::fromLocal8Bit(std::strerror(error))));
        return;
    }
    m_waiting = true;
    m_deadline = m_clock.now().addSecs(timeout.count());
    poll();
    if (m_waiting)
        qCInfo(lcDevice).noquote() << "event=waiting_for_operation_lock store=" + m_directory;
}

void OperationLock::poll()
{
    if (!m_waiting)
        return;
    int result;
    do
        result = ::flock(m_fd, LOCK_EX | LOCK_NB);
    while (result != 0 && errno == EINTR);
    if (result == 0) {
        m_waiting = false;
        emit acquired();
        return;
    }
    const int error = errno;
    if (error != EWOULDBLOCK) {
        release();
        emit failed(QStringLiteral("cannot lock %1: %2").arg(lockPath(), QString::fromLocal8Bit(std::strerror(error))));
        return;
    }
    if (m_clock.now() >= m_deadline) {
        release();
        emit failed(QStringLiteral("another process has been enrolling or renewing with the store %1 for %2 s "
                                   "and still holds %3; try again when it has finished")
                        .arg(m_directory)
                        .arg(timeout.count())
                        .arg(lockPath()));
        return;
    }
    m_timer.start(pollInterval);
}

void OperationLock::release()
{
    m_timer.stop();
    m_waiting = false;
    if (m_fd >= 0)
        ::close(m_fd); // also releases the flock
    m_fd = -1;
}

} // namespace imprint::device
