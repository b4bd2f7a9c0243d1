#include "support/testing.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using imprint::testing::ProcessResult;
using imprint::testing::runImprint;

namespace {

const QByteArray kVector1 = "sha256:bec89fc231de06b60daa39e7525024ef921e0dbfb860a1bc6f75ba11a0fd2f7c";
const QByteArray kVector2 = "sha256:edaa40515651ae360a2dc75b5f197005134790fab18636a735702a84af78138e";

void writeFile(const QString &path, const QByteArray &content)
{
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(content), content.size());
}

// The machine of test vector 1 of PROTOCOL.md section 2.
void makeVector1Machine(const QString &root)
{
    writeFile(root + QStringLiteral("/etc/machine-id"), "a1b2c3d4e5f6\n");
    writeFile(root + QStringLiteral("/sys/class/dmi/id/product_uuid"), "12345678-abcd-ef01-2345-6789abcdef01\n");
    writeFile(root + QStringLiteral("/sys/class/net/lo/address"), "00:00:00:00:00:00\n");
    writeFile(root + QStringLiteral("/sys/class/net/lo/flags"), "0x9\n");
    writeFile(root + QStringLiteral("/sys/class/net/lo/type"), "772\n");
    writeFile(root + QStringLiteral("/sys/class/net/eth0/address"), "aa:bb:cc:dd:ee:ff\n");
    writeFile(root + QStringLiteral("/sys/class/net/eth0/flags"), "0x1003\n");
    writeFile(root + QStringLiteral("/sys/class/net/eth0/type"), "1\n");
}

QString describe(const ProcessResult &result)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(result.exitCode)
        .arg(QString::fromUtf8(result.out), QString::fromUtf8(result.err));
}

QJsonObject parseJson(const QByteArray &out)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return {};
    return document.object();
}

} // namespace

class TestCliFingerprint : public QObject {
    Q_OBJECT

private slots:
    void hardwareText();
    void hardwareJson();
    void hardwareCachesIdentity();
    void emptyRootWithoutPersistDirFails();
    void generatedThenPersisted();
    void missingRootFails();
    void usageErrors_data();
    void usageErrors();
    void commandHelp();
    void programHelpAndVersion();
    void unknownCommand();
};

void TestCliFingerprint::hardwareText()
{
    QTemporaryDir root;
    makeVector1Machine(root.path());
    const ProcessResult result = runImprint({QStringLiteral("fingerprint"), QStringLiteral("--root"), root.path()});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out,
             "fingerprint: " + kVector1 + "\ntier: hardware\nattributes: mac_address, machine_id, product_uuid\n");
    QCOMPARE(result.err, QByteArray());
}

void TestCliFingerprint::hardwareJson()
{
    QTemporaryDir root;
    writeFile(root.path() + QStringLiteral("/etc/machine-id"), "0123456789ABCDEF0123456789abcdef\n");
    const ProcessResult result =
        runImprint({QStringLiteral("fingerprint"), QStringLiteral("--json"), QStringLiteral("--root"), root.path()});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QJsonObject object = parseJson(result.out);
    QCOMPARE(object.value(QStringLiteral("fingerprint")).toString(), QString::fromLatin1(kVector2));
    QCOMPARE(object.value(QStringLiteral("tier")).toString(), QStringLiteral("hardware"));
    QCOMPARE(object.value(QStringLiteral("attributes")).toArray(), QJsonArray{QStringLiteral("machine_id")});
    QCOMPARE(object.size(), 3);
}

void TestCliFingerprint::hardwareCachesIdentity()
{
    QTemporaryDir root;
    QTemporaryDir persist;
    makeVector1Machine(root.path());
    const ProcessResult result = runImprint({QStringLiteral("fingerprint"), QStringLiteral("--root"), root.path(),
                                             QStringLiteral("--persist-dir"), persist.path()});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QFile identity(persist.filePath(QStringLiteral("imprint-identity")));
    QVERIFY(identity.open(QIODevice::ReadOnly));
    QCOMPARE(identity.readAll(), kVector1 + '\n');
}

void TestCliFingerprint::emptyRootWithoutPersistDirFails()
{
    QTemporaryDir root;
    const ProcessResult result = runImprint({QStringLiteral("fingerprint"), QStringLiteral("--root"), root.path()});
    QVERIFY2(result.exitCode == 1, qPrintable(describe(result)));
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.startsWith("imprint fingerprint: error: no hardware attributes could be read"),
             result.err.constData());
    QVERIFY(result.err.contains("--persist-dir"));
}

void TestCliFingerprint::generatedThenPersisted()
{
    QTemporaryDir root;
    QTemporaryDir base;
    const QString persistDir = base.filePath(QStringLiteral("identity"));
    const QStringList arguments{QStringLiteral("fingerprint"),   QStringLiteral("--json"),
                                QStringLiteral("--root"),        root.path(),
                                QStringLiteral("--persist-dir"), persistDir};

    const ProcessResult first = runImprint(arguments);
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    const QJsonObject generated = parseJson(first.out);
    QCOMPARE(generated.value(QStringLiteral("tier")).toString(), QStringLiteral("generated"));
    const QString value = generated.value(QStringLiteral("fingerprint")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^sha256:[0-9a-f]{64}$")).match(value).hasMatch(), qPrintable(value));
    QCOMPARE(generated.value(QStringLiteral("attributes")).toArray(), QJsonArray());

    const ProcessResult second = runImprint(arguments);
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
    const QJsonObject persisted = parseJson(second.out);
    QCOMPARE(persisted.value(QStringLiteral("tier")).toString(), QStringLiteral("persisted"));
    QCOMPARE(persisted.value(QStringLiteral("fingerprint")).toString(), value);

    // The text form says there were no attributes.
    const ProcessResult text = runImprint({QStringLiteral("fingerprint"), QStringLiteral("--root"), root.path(),
                                           QStringLiteral("--persist-dir"), persistDir});
    QVERIFY2(text.exitCode == 0, qPrintable(describe(text)));
    QCOMPARE(text.out, "fingerprint: " + value.toLatin1() + "\ntier: persisted\nattributes: none\n");
}

void TestCliFingerprint::missingRootFails()
{
    QTemporaryDir base;
    const ProcessResult result =
        runImprint({QStringLiteral("fingerprint"), QStringLiteral("--root"), base.filePath(QStringLiteral("missing")),
                    QStringLiteral("--persist-dir"), base.filePath(QStringLiteral("persist"))});
    QVERIFY2(result.exitCode == 1, qPrintable(describe(result)));
    QVERIFY2(result.err.contains("does not exist"), result.err.constData());
    // Nothing was generated for a root that was mistyped.
    QVERIFY(!QFile::exists(base.filePath(QStringLiteral("persist"))));
}

void TestCliFingerprint::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")} << QByteArray("bogus");
    QTest::newRow("positional argument") << QStringList{QStringLiteral("extra")} << QByteArray("unexpected argument");
    QTest::newRow("missing value") << QStringList{QStringLiteral("--root")} << QByteArray("root");
    QTest::newRow("empty root") << QStringList{QStringLiteral("--root"), QString()} << QByteArray("--root");
    QTest::newRow("empty persist dir") << QStringList{QStringLiteral("--persist-dir"), QString()}
                                       << QByteArray("--persist-dir");
}

void TestCliFingerprint::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    const ProcessResult result = runImprint(QStringList{QStringLiteral("fingerprint")} + arguments);
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QCOMPARE(result.out, QByteArray());
    QVERIFY2(result.err.startsWith("imprint fingerprint: "), result.err.constData());
    QVERIFY2(result.err.contains(message), result.err.constData());
    QVERIFY(result.err.contains("Try 'imprint fingerprint --help'"));
}

void TestCliFingerprint::commandHelp()
{
    const ProcessResult result = runImprint({QStringLiteral("fingerprint"), QStringLiteral("--help")});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY2(result.out.contains("Usage: imprint fingerprint"), result.out.constData());
    QVERIFY(result.out.contains("--persist-dir <dir>"));
    QVERIFY(result.out.contains("--root <dir>"));
    QVERIFY(result.out.contains("--json"));
}

void TestCliFingerprint::programHelpAndVersion()
{
    const ProcessResult help = runImprint({QStringLiteral("--help")});
    QVERIFY2(help.exitCode == 0, qPrintable(describe(help)));
    QVERIFY(help.out.contains("fingerprint"));
    QVERIFY(help.out.contains("Show this machine's fingerprint"));

    const ProcessResult version = runImprint({QStringLiteral("--version")});
    QVERIFY2(version.exitCode == 0, qPrintable(describe(version)));
    QVERIFY2(version.out.startsWith("imprint "), version.out.constData());
}

void TestCliFingerprint::unknownCommand()
{
    const ProcessResult result = runImprint({QStringLiteral("fingerprints")});
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY(result.err.contains("unknown command"));
}

QTEST_GUILESS_MAIN(TestCliFingerprint)
#include "tst_cli_fingerprint.moc"
