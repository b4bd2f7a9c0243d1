#include "support/testing.h"

#include <QDir>
#include <QFile>
#include <QUuid>

namespace imprint::testing {

namespace {
ProcessResult runWith(QProcess &process, const QString &program, const QStringList &arguments,
                      const QByteArray &input)
{
    ProcessResult result;
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(60000);
    if (!result.finished)
        process.kill();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}
} // namespace

ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input,
                         const QString &workingDirectory)
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    return runWith(process, program, arguments, input);
}

ProcessResult runOpenssl(const QStringList &arguments, const QByteArray &input, const QString &workingDirectory)
{
    return runProcess(QStringLiteral("openssl"), arguments, input, workingDirectory);
}

ProcessResult runImprint(const QStringList &arguments, const QByteArray &input,
                         const QProcessEnvironment &environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    return runWith(process, QStringLiteral(IMPRINT_BINARY), arguments, input);
}

bool makeMachineRoot(const QString &root)
{
    if (!QDir().mkpath(root + QStringLiteral("/etc")))
        return false;
    QFile machineId(root + QStringLiteral("/etc/machine-id"));
    return machineId.open(QIODevice::WriteOnly)
        && machineId.write(QUuid::createUuid().toByteArray(QUuid::Id128) + '\n') > 0;
}

} // namespace imprint::testing
