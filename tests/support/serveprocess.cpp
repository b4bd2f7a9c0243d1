#include "support/serveprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

namespace imprint::testing {

ServeProcess::ServeProcess() : ServeProcess(Options{}) {}

ServeProcess::ServeProcess(Options options) : m_options(std::move(options))
{
    QFile secrets(secretFile());
    if (secrets.open(QIODevice::WriteOnly))
        secrets.write(m_options.secrets.join(QLatin1Char('\n')).toUtf8() + '\n');
    setClockOffsetSeconds(0);
}

ServeProcess::~ServeProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        stop();
}

QString ServeProcess::caDir() const
{
    return m_dir.filePath(QStringLiteral("ca"));
}

QString ServeProcess::caFile() const
{
    return m_dir.filePath(QStringLiteral("ca/ca.crt"));
}

QString ServeProcess::databaseUrl() const
{
    return m_options.databaseUrl.isEmpty() ? QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("registry.db"))
                                           : m_options.databaseUrl;
}

QString ServeProcess::secretFile() const
{
    return m_dir.filePath(QStringLiteral("secrets"));
}

void ServeProcess::setClockOffsetSeconds(qint64 seconds)
{
    QFile file(m_dir.filePath(QStringLiteral("clock-offset")));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QByteArray::number(seconds));
}

QProcessEnvironment ServeProcess::environment() const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("IMPRINT_TEST_CLOCK_FILE"), m_dir.filePath(QStringLiteral("clock-offset")));
    return environment;
}

bool ServeProcess::start()
{
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment());
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{QStringLiteral("serve"),         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_options.port),
                          QStringLiteral("--ca-dir"),      caDir(),
                          QStringLiteral("--db"),          databaseUrl(),
                          QStringLiteral("--secret-file"), secretFile(),
                          QStringLiteral("--threads"),     QStringLiteral("2")};
    arguments << m_options.extraArguments;
    m_process->start(QStringLiteral(IMPRINT_BINARY), arguments);
    if (!m_process->waitForStarted(10000)) {
        m_error = m_process->errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on\\s+(https://127\\.0\\.0\\.1:(\\d+))"));
    static const QRegularExpression pin(QStringLiteral("CA pin\\s+(sha256:[0-9a-f]{64})"));
    const QDeadlineTimer deadline(30000);
    const qsizetype startedAt = m_output.size(); // a restart must not match the last run's lines
    while (!deadline.hasExpired()) {
        m_process->waitForReadyRead(200);
        m_output += QString::fromUtf8(m_process->readAll());
        const auto urlMatch = listening.match(m_output, startedAt);
        const auto pinMatch = pin.match(m_output, startedAt);
        if (urlMatch.hasMatch() && pinMatch.hasMatch()) {
            m_url = urlMatch.captured(1);
            m_port = quint16(urlMatch.captured(2).toUInt());
            m_pin = pinMatch.captured(1);
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    m_error = QStringLiteral("imprint serve did not start: ") + m_output;
    return false;
}

QString ServeProcess::output()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        m_output += QString::fromUtf8(m_process->readAll());
    return m_output;
}

int ServeProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return m_process ? m_process->exitCode() : -1;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    if (!m_process->waitForFinished(20000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
        return -1;
    }
    m_output += QString::fromUtf8(m_process->readAll());
    return m_process->exitStatus() == QProcess::NormalExit ? m_process->exitCode() : -1;
}

} // namespace imprint::testing
