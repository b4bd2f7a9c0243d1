// What the package installs besides the program: imprint(1), written from the help texts,
// and the systemd units, checked by systemd's own verifier and by running the service
// unit's command line as systemd would.
#include "support/testing.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace imprint::testing;

class TestPackaging : public QObject {
    Q_OBJECT

private slots:
    void manPageHasEveryCommand();
    void manPageRendersWithoutWarnings();
    void unitsPassSystemdVerify();
    void serveUnitCommandLineRunsTheService();

private:
    static QByteArray readFile(const QString &path);
    static QString unitPath(const QString &name);
};

QByteArray TestPackaging::readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString TestPackaging::unitPath(const QString &name)
{
    return QStringLiteral(IMPRINT_SOURCE_DIR "/packaging/") + name;
}

void TestPackaging::manPageHasEveryCommand()
{
    const QByteArray page = readFile(QStringLiteral(IMPRINT_MAN_PAGE));
    QVERIFY2(page.startsWith(".TH IMPRINT 1"), page.left(200).constData());
    const auto overview = runImprint({QStringLiteral("--help")});
    QCOMPARE(overview.exitCode, 0);
    static const QRegularExpression commandLine(QStringLiteral("^  ([a-z]+(?: [a-z]+)?)  +\\S"),
                                                QRegularExpression::MultilineOption);
    int commands = 0;
    for (auto match = commandLine.globalMatch(QString::fromUtf8(overview.out)); match.hasNext();) {
        const QString command = match.next().captured(1);
        ++commands;
        QVERIFY2(page.contains(".SS \"imprint " + command.toUtf8() + "\""), qPrintable(command));
    }
    QVERIFY(commands >= 15);
    // Flags are minus signs in roff, so that a flag copied from the page works.
    QVERIFY(page.contains("\\-\\-secret\\-file"));
    QVERIFY(!page.contains(" --secret-file"));
    // No builder's home directory.
    const QString home = QDir::homePath();
    if (home != QLatin1String("/"))
        QVERIFY(!page.contains(home.toUtf8() + '/'));
}

void TestPackaging::manPageRendersWithoutWarnings()
{
    if (QStandardPaths::findExecutable(QStringLiteral("groff")).isEmpty())
        QSKIP("groff is not installed");
    QProcess groff;
    groff.start(QStringLiteral("groff"), {QStringLiteral("-man"), QStringLiteral("-ww"), QStringLiteral("-z"),
                                          QStringLiteral(IMPRINT_MAN_PAGE)});
    QVERIFY(groff.waitForFinished(30000));
    const QByteArray warnings = groff.readAllStandardError();
    QVERIFY2(warnings.isEmpty(), warnings.constData());
    QCOMPARE(groff.exitCode(), 0);
}

void TestPackaging::unitsPassSystemdVerify()
{
    if (QStandardPaths::findExecutable(QStringLiteral("systemd-analyze")).isEmpty())
        QSKIP("systemd-analyze is not installed");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The verifier checks that ExecStart's program exists and that Documentation's man
    // page can be opened: point both at what this build made.
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("man/man1")));
    QVERIFY(QFile::copy(QStringLiteral(IMPRINT_MAN_PAGE), dir.filePath(QStringLiteral("man/man1/imprint.1"))));
    QStringList units;
    for (const QString &name : {QStringLiteral("imprint-serve.service"), QStringLiteral("imprint-daemon.service")}) {
        QByteArray unit = readFile(unitPath(name));
        QVERIFY2(unit.contains("ExecStart=/usr/bin/imprint "), qPrintable(name));
        unit.replace("/usr/bin/imprint ", QByteArray(IMPRINT_BINARY) + ' ');
        QFile copy(dir.filePath(name));
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write(unit);
        copy.close();
        units << copy.fileName();
    }
    QProcess verify;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("MANPATH"), dir.filePath(QStringLiteral("man")));
    verify.setProcessEnvironment(environment);
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(QStringLiteral("systemd-analyze"), QStringList{QStringLiteral("verify")} + units);
    QVERIFY(verify.waitForFinished(60000));
    const QByteArray output = verify.readAll();
    QVERIFY2(verify.exitCode() == 0 && output.trimmed().isEmpty(), output.constData());
}

void TestPackaging::serveUnitCommandLineRunsTheService()
{
    // ExecStart exactly as written, with the places systemd provides replaced by temporary
    // ones: the state directory, the credentials directory (%d) and the settings file's
    // arguments.
    const QByteArray unit = readFile(unitPath(QStringLiteral("imprint-serve.service")));
    static const QRegularExpression execStart(QStringLiteral("^ExecStart=(.+)$"), QRegularExpression::MultilineOption);
    const auto match = execStart.match(QString::fromUtf8(unit));
    QVERIFY(match.hasMatch());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("state")));
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("credentials")));
    QFile secrets(dir.filePath(QStringLiteral("credentials/build-secrets")));
    QVERIFY(secrets.open(QIODevice::WriteOnly));
    secrets.write("unit-test-secret\n");
    secrets.close();

    QString command = match.captured(1);
    command.replace(QLatin1String("/var/lib/imprint-service"), dir.filePath(QStringLiteral("state")));
    command.replace(QLatin1String("%d"), dir.filePath(QStringLiteral("credentials")));
    command.replace(QLatin1String("$IMPRINT_SERVE_ARGS"), QStringLiteral("--listen 127.0.0.1:0"));
    QStringList words = command.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(words.takeFirst(), QStringLiteral("/usr/bin/imprint"));

    QProcess serve;
    serve.setProcessChannelMode(QProcess::MergedChannels);
    serve.start(QStringLiteral(IMPRINT_BINARY), words);
    QVERIFY(serve.waitForStarted(10000));
    QByteArray output;
    QDeadlineTimer deadline(30000);
    while (!output.contains("CA pin") && serve.state() == QProcess::Running && !deadline.hasExpired()) {
        serve.waitForReadyRead(200);
        output += serve.readAll();
    }
    QVERIFY2(output.contains("listening on") && output.contains("CA pin"), output.constData());
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("state/ca/ca.key"))));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("state/registry.db"))));
    // The unit stops the service with SIGTERM and expects a clean exit.
    QVERIFY(unit.contains("KillSignal=SIGTERM"));
    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(20000));
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestPackaging)
#include "tst_packaging.moc"
