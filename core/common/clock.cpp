#include "common/clock.h"

#include "common/logging.h"

#include <QFile>

namespace imprint {

namespace {

class OffsetFileClock final : public Clock {
public:
    explicit OffsetFileClock(QString path) : m_path(std::move(path)) {}

    QDateTime now() const override
    {
        QFile file(m_path);
        qint64 offset = 0;
        if (file.open(QIODevice::ReadOnly))
            offset = file.readAll().trimmed().toLongLong();
        return QDateTime::currentDateTimeUtc().addSecs(offset);
    }

private:
    QString m_path;
};

} // namespace

const Clock &processClock()
{
    static const Clock *const clock = []() -> const Clock * {
        const QString path = qEnvironmentVariable("IMPRINT_TEST_CLOCK_FILE");
        if (path.isEmpty())
            return &SystemClock::instance();
        qCWarning(lcService).noquote() << "event=test_clock file=" + path;
        return new OffsetFileClock(path);
    }();
    return *clock;
}

} // namespace imprint
