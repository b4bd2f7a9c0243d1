#include "common/atomicfile.h"
#include "common/duration.h"
#include "common/logging.h"

#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace imprint;
using namespace std::chrono_literals;

class TestCommon : public QObject {
    Q_OBJECT

private slots:
    void parseDuration_data();
    void parseDuration();
    void parseDurationRejects_data();
    void parseDurationRejects();
    void formatDuration();
    void logFieldKeepsALineALine();
    void atomicWriteCreatesFileWithMode();
    void atomicWriteReplacesContent();
    void atomicWriteFailureKeepsOldContent_data();
    void atomicWriteFailureKeepsOldContent();
    void readFileLimitedRefusesLargeFile();
};

void TestCommon::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("seconds") << "90s" << qint64(90);
    QTest::newRow("minutes") << "5m" << qint64(300);
    QTest::newRow("hours") << "24h" << qint64(86400);
    QTest::newRow("days") << "30d" << qint64(30 * 86400);
    QTest::newRow("spaces trimmed") << " 365d " << qint64(365 * 86400);
}

void TestCommon::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const auto parsed = imprint::parseDuration(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.errorMessage()));
    QCOMPARE(parsed.value().count(), seconds);
}

void TestCommon::parseDurationRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("bare number") << "365";
    QTest::newRow("zero") << "0d";
    QTest::newRow("negative") << "-1d";
    QTest::newRow("unknown unit") << "3w";
    QTest::newRow("fraction") << "1.5h";
    QTest::newRow("overflow") << "99999999999999999d";
    QTest::newRow("unit only") << "d";
}

void TestCommon::parseDurationRejects()
{
    QFETCH(QString, text);
    const auto parsed = imprint::parseDuration(text);
    QVERIFY(!parsed.ok());
    QVERIFY(parsed.errorMessage().contains(QStringLiteral("invalid duration")));
}

void TestCommon::formatDuration()
{
    QCOMPARE(imprint::formatDuration(30 * 24h), QStringLiteral("30d"));
    QCOMPARE(imprint::formatDuration(36h), QStringLiteral("36h"));
    QCOMPARE(imprint::formatDuration(90min), QStringLiteral("90m"));
    QCOMPARE(imprint::formatDuration(61s), QStringLiteral("61s"));
}

void TestCommon::atomicWriteCreatesFileWithMode()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("secret"));
    ::umask(022);
    QVERIFY(writeFileAtomically(path, "abc\n", 0600).ok());
    struct stat st {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
    QCOMPARE(readFileLimited(path, 100).value(), QByteArray("abc\n"));
    QVERIFY(writeFileAtomically(dir.filePath(QStringLiteral("public")), "x", 0644).ok());
    QCOMPARE(::stat(QFile::encodeName(dir.filePath(QStringLiteral("public"))).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0644));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
}

void TestCommon::atomicWriteReplacesContent()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("file"));
    QVERIFY(writeFileAtomically(path, "old", 0644).ok());
    QVERIFY(writeFileAtomically(path, "new", 0644).ok());
    QCOMPARE(readFileLimited(path, 100).value(), QByteArray("new"));
}

namespace {
AtomicWriteStep g_failAt;
bool failAtStep(const QString &, AtomicWriteStep step)
{
    return step != g_failAt;
}
} // namespace

void TestCommon::atomicWriteFailureKeepsOldContent_data()
{
    QTest::addColumn<int>("step");
    QTest::newRow("create") << int(AtomicWriteStep::Create);
    QTest::newRow("write") << int(AtomicWriteStep::Write);
    QTest::newRow("flush") << int(AtomicWriteStep::Flush);
    QTest::newRow("rename") << int(AtomicWriteStep::Rename);
}

void TestCommon::atomicWriteFailureKeepsOldContent()
{
    QFETCH(int, step);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("file"));
    QVERIFY(writeFileAtomically(path, "old", 0644).ok());
    g_failAt = AtomicWriteStep(step);
    setAtomicWriteFaultHook(&failAtStep);
    const Status status = writeFileAtomically(path, "new", 0644);
    setAtomicWriteFaultHook(nullptr);
    QVERIFY(!status.ok());
    QVERIFY2(status.errorMessage().contains(QStringLiteral("file")), qPrintable(status.errorMessage()));
    QCOMPARE(readFileLimited(path, 100).value(), QByteArray("old"));
    // No temporary file is left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("file")});
}

void TestCommon::readFileLimitedRefusesLargeFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big"));
    QVERIFY(writeFileAtomically(path, QByteArray(101, 'x'), 0644).ok());
    QVERIFY(readFileLimited(path, 101).ok());
    const auto refused = readFileLimited(path, 100);
    QVERIFY(!refused.ok());
    QVERIFY(refused.errorMessage().contains(QStringLiteral("larger than 100 bytes")));
    QVERIFY(!readFileLimited(dir.filePath(QStringLiteral("missing")), 100).ok());
}

void TestCommon::logFieldKeepsALineALine()
{
    QCOMPARE(logField("/api/v1/enroll"), QByteArray("/api/v1/enroll"));
    // A line break would forge a second log line, a space another field.
    QCOMPARE(logField("srv_1\nevent=enroll server_id=x"), QByteArray("srv_1%0Aevent=enroll%20server_id=x"));
    QCOMPARE(logField("\x1b[2J\x7f"), QByteArray("%1B[2J%7F"));
    QCOMPARE(logField("caf\xC3\xA9"), QByteArray("caf%C3%A9"));
    QCOMPARE(logField(QByteArray(300, 'a')), QByteArray(256, 'a') + "...");
    QCOMPARE(logField("abcdef", 3), QByteArray("abc..."));
    QCOMPARE(logField(""), QByteArray());
}

QTEST_GUILESS_MAIN(TestCommon)
#include "tst_common.moc"
