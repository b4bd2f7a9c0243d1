#include "common/atomicfile.h"
#include "fingerprint/attributes.h"
#include "fingerprint/collector.h"
#include "fingerprint/fingerprint.h"
#include "fingerprint/identityfile.h"
#include "fingerprint/linuxcollector.h"
#include "fingerprint/maccollector.h"
#include "fingerprint/networkinterface.h"
#include "fingerprint/windowscollector.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace imprint;
using namespace imprint::fingerprint;

namespace {

// PROTOCOL.md section 2.
const QString kVector1 = QStringLiteral("sha256:bec89fc231de06b60daa39e7525024ef921e0dbfb860a1bc6f75ba11a0fd2f7c");
const QString kVector2 = QStringLiteral("sha256:edaa40515651ae360a2dc75b5f197005134790fab18636a735702a84af78138e");
const QString kVector3 = QStringLiteral("sha256:8fb8922d08caf78d8efa97383e3b235b2a74a6c310e346bac1d1a7be7b5be8cd");

QString sha256Of(const QByteArray &data)
{
    return QStringLiteral("sha256:") +
           QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

mode_t modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode & 07777;
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<unreadable>";
    return file.readAll();
}

// A file-system root for the Linux collector.
class FakeRoot {
public:
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }

    void write(const QString &relative, const QByteArray &content)
    {
        const QString file = m_dir.filePath(relative);
        QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
        QFile out(file);
        QVERIFY2(out.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(out.errorString()));
        QCOMPARE(out.write(content), content.size());
    }

    // "-" for a file that is left out.
    void addInterface(const QString &name, const QString &address, const QString &flags = QStringLiteral("0x1003"),
                      const QString &type = QStringLiteral("1"))
    {
        const QString base = QStringLiteral("sys/class/net/") + name + u'/';
        QVERIFY(QDir().mkpath(m_dir.filePath(base)));
        if (address != QLatin1String("-"))
            write(base + QStringLiteral("address"), address.toUtf8() + '\n');
        if (flags != QLatin1String("-"))
            write(base + QStringLiteral("flags"), flags.toUtf8() + '\n');
        if (type != QLatin1String("-"))
            write(base + QStringLiteral("type"), type.toUtf8() + '\n');
    }

    // The machine of test vector 1, with the values as the kernel/systemd may present
    // them (upper case, trailing newline) and a loopback interface.
    void makeVector1Machine()
    {
        write(QStringLiteral("etc/machine-id"), "a1b2c3d4e5f6\n");
        write(QStringLiteral("sys/class/dmi/id/product_uuid"), "12345678-ABCD-EF01-2345-6789ABCDEF01\n");
        addInterface(QStringLiteral("lo"), QStringLiteral("00:00:00:00:00:00"), QStringLiteral("0x9"),
                     QStringLiteral("772"));
        addInterface(QStringLiteral("eth0"), QStringLiteral("AA:BB:CC:DD:EE:FF"));
    }

private:
    QTemporaryDir m_dir;
};

class StaticCollector final : public Collector {
public:
    explicit StaticCollector(QList<Attribute> attributes) : m_attributes(std::move(attributes)) {}
    QString platform() const override { return QStringLiteral("test"); }
    QList<Attribute> collect() const override { return m_attributes; }

private:
    QList<Attribute> m_attributes;
};

QStringList keysOf(const QList<Attribute> &attributes)
{
    QStringList keys;
    for (const Attribute &attribute : attributes)
        keys << attribute.key;
    return keys;
}

QString valueOf(const QList<Attribute> &attributes, QLatin1String key)
{
    for (const Attribute &attribute : attributes) {
        if (attribute.key == key)
            return attribute.value;
    }
    return QStringLiteral("<absent>");
}

AtomicWriteStep g_failAt = AtomicWriteStep::Rename;
bool failAtStep(const QString &, AtomicWriteStep step)
{
    return step != g_failAt;
}

struct FaultHookGuard {
    explicit FaultHookGuard(AtomicWriteStep step)
    {
        g_failAt = step;
        setAtomicWriteFaultHook(&failAtStep);
    }
    ~FaultHookGuard() { setAtomicWriteFaultHook(nullptr); }
};

} // namespace

class TestFingerprint : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    // Hashing
    void testVectors_data();
    void testVectors();
    void hashIgnoresInputOrder();
    void hashSortsByUtf8Bytes();
    void normaliseTrimsAndLowercases();
    void wellFormedFingerprint();
    void tierNames();
    void randomUuidIsVersion4();

    // Linux collector
    void collectorReadsNormalisedFiles();
    void collectorSkipsEmptyValues();
    void unreadableProductUuidSkipped_data();
    void unreadableProductUuidSkipped();
    void primaryMacSelection_data();
    void primaryMacSelection();
    void primaryMacFromList();
    void platformCollectors();

    // Tiers
    void hardwareTierCachesIdentity();
    void hardwareTierWithStaticCollectorNormalises();
    void hardwareTierSurvivesCacheFailure();
    void persistedTier();
    void persistedTierKeepsMalformedContent();
    void generatedTierPersistsAndIsStable();
    void whitespaceIdentityCountsAsAbsent();
    void noPersistDirFails();
    void generatedPersistFailureIsError();
    void unreadableIdentityFileIsError();
    void existingPersistDirKeepsItsMode();
};

void TestFingerprint::initTestCase()
{
    // The identity file's modes must not depend on the umask, but a restrictive one would
    // hide a missing fchmod/chmod; 022 is the common default.
    ::umask(022);
}

void TestFingerprint::testVectors_data()
{
    QTest::addColumn<QList<Attribute>>("attributes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("three attributes")
        << QList<Attribute>{{QStringLiteral("mac_address"), QStringLiteral("aa:bb:cc:dd:ee:ff")},
                            {QStringLiteral("machine_id"), QStringLiteral("a1b2c3d4e5f6")},
                            {QStringLiteral("product_uuid"), QStringLiteral("12345678-abcd-ef01-2345-6789abcdef01")}}
        << kVector1;
    QTest::newRow("machine id only") << QList<Attribute>{{QStringLiteral("machine_id"),
                                                          QStringLiteral("0123456789abcdef0123456789abcdef")}}
                                     << kVector2;
}

void TestFingerprint::testVectors()
{
    QFETCH(QList<Attribute>, attributes);
    QFETCH(QString, expected);
    QCOMPARE(hashAttributes(attributes), expected);
}

void TestFingerprint::hashIgnoresInputOrder()
{
    const Attribute mac{QStringLiteral("mac_address"), QStringLiteral("aa:bb:cc:dd:ee:ff")};
    const Attribute machine{QStringLiteral("machine_id"), QStringLiteral("a1b2c3d4e5f6")};
    const Attribute product{QStringLiteral("product_uuid"), QStringLiteral("12345678-abcd-ef01-2345-6789abcdef01")};
    QCOMPARE(hashAttributes({product, machine, mac}), kVector1);
    QCOMPARE(hashAttributes({machine, product, mac}), kVector1);
    QCOMPARE(hashAttributes({product, mac, machine}), kVector1);
    QCOMPARE(
        keysOf(sortedByKey({product, machine, mac})),
        (QStringList{QStringLiteral("mac_address"), QStringLiteral("machine_id"), QStringLiteral("product_uuid")}));
    // Tier 3 vector: the UUID string's bytes, no key.
    QCOMPARE(fingerprintFromUuid(QStringLiteral("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")), kVector3);
}

void TestFingerprint::hashSortsByUtf8Bytes()
{
    // '_' (0x5f) sorts before 'b' (0x62).
    const Attribute ab{QStringLiteral("ab"), QStringLiteral("2")};
    const Attribute a_b{QStringLiteral("a_b"), QStringLiteral("1")};
    QCOMPARE(hashAttributes({ab, a_b}), sha256Of("a_b=1\nab=2\n"));
    QCOMPARE(hashAttributes({a_b, ab}), sha256Of("a_b=1\nab=2\n"));
    // Upper case (0x41..) before lower case: byte order, not a locale's.
    QCOMPARE(hashAttributes({{QStringLiteral("a"), QStringLiteral("x")}, {QStringLiteral("B"), QStringLiteral("y")}}),
             sha256Of("B=y\na=x\n"));
    // U+FB01 (UTF-8 ef ac 81) before U+1F600 (UTF-8 f0 9f 98 80), although UTF-16 order
    // (fb01 vs d83d) is the other way round.
    const QString ligature = QString(QChar(0xFB01));
    const QString emoji = QString::fromUcs4(U"\U0001F600");
    QVERIFY(emoji < ligature);
    QCOMPARE(hashAttributes({{emoji, QStringLiteral("y")}, {ligature, QStringLiteral("x")}}),
             sha256Of(ligature.toUtf8() + "=x\n" + emoji.toUtf8() + "=y\n"));
}

void TestFingerprint::normaliseTrimsAndLowercases()
{
    QCOMPARE(normalise(QStringLiteral(" A1B2\n")), QStringLiteral("a1b2"));
    QCOMPARE(normalise(QStringLiteral("\t AA:BB:CC:DD:EE:FF \r\n")), QStringLiteral("aa:bb:cc:dd:ee:ff"));
    QCOMPARE(normalise(QStringLiteral(" \n\t")), QString());
}

void TestFingerprint::wellFormedFingerprint()
{
    QVERIFY(isWellFormedFingerprint(kVector1));
    QVERIFY(!isWellFormedFingerprint(kVector1.toUpper()));
    QVERIFY(!isWellFormedFingerprint(kVector1.left(70)));
    QVERIFY(!isWellFormedFingerprint(kVector1 + u'0'));
    QVERIFY(!isWellFormedFingerprint(QStringLiteral("sha1:") + kVector1.mid(7)));
    QVERIFY(!isWellFormedFingerprint(kVector1.left(70) + u'g'));
    QVERIFY(!isWellFormedFingerprint(QString()));
}

void TestFingerprint::tierNames()
{
    QCOMPARE(tierName(Tier::Hardware), QStringLiteral("hardware"));
    QCOMPARE(tierName(Tier::Persisted), QStringLiteral("persisted"));
    QCOMPARE(tierName(Tier::Generated), QStringLiteral("generated"));
}

void TestFingerprint::randomUuidIsVersion4()
{
    const QRegularExpression shape(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
    QSet<QString> seen;
    for (int i = 0; i < 64; ++i) {
        const QString uuid = randomUuidV4();
        QVERIFY2(shape.match(uuid).hasMatch(), qPrintable(uuid));
        seen.insert(uuid);
    }
    QCOMPARE(seen.size(), 64);
}

void TestFingerprint::collectorReadsNormalisedFiles()
{
    FakeRoot root;
    QVERIFY(root.isValid());
    root.makeVector1Machine();
    root.write(QStringLiteral("etc/machine-id"), " A1B2C3D4E5F6\n");
    const LinuxCollector collector(root.path());
    QCOMPARE(collector.platform(), QStringLiteral("linux"));
    QVERIFY(collector.unavailableReason().isEmpty());
    const QList<Attribute> attributes = collector.collect();
    QCOMPARE(valueOf(attributes, kMachineId), QStringLiteral("a1b2c3d4e5f6"));
    QCOMPARE(valueOf(attributes, kProductUuid), QStringLiteral("12345678-abcd-ef01-2345-6789abcdef01"));
    QCOMPARE(valueOf(attributes, kMacAddress), QStringLiteral("aa:bb:cc:dd:ee:ff"));
    QCOMPARE(attributes.size(), 3);
    QCOMPARE(hashAttributes(attributes), kVector1);
}

void TestFingerprint::collectorSkipsEmptyValues()
{
    FakeRoot root;
    QVERIFY(root.isValid());
    root.write(QStringLiteral("etc/machine-id"), " \n\t\n");
    root.write(QStringLiteral("sys/class/dmi/id/product_uuid"), "");
    root.addInterface(QStringLiteral("eth0"), QString());
    QCOMPARE(LinuxCollector(root.path()).collect(), QList<Attribute>{});
    // Nothing at all under the root is no error either.
    FakeRoot empty;
    QCOMPARE(LinuxCollector(empty.path()).collect(), QList<Attribute>{});
    QCOMPARE(LinuxCollector(empty.path() + QStringLiteral("/missing")).collect(), QList<Attribute>{});
}

void TestFingerprint::unreadableProductUuidSkipped_data()
{
    QTest::addColumn<bool>("asDirectory");
    QTest::newRow("mode 000") << false;
    QTest::newRow("directory") << true;
}

void TestFingerprint::unreadableProductUuidSkipped()
{
    QFETCH(bool, asDirectory);
    FakeRoot root;
    QVERIFY(root.isValid());
    root.write(QStringLiteral("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    const QString uuidPath = root.path() + QStringLiteral("/sys/class/dmi/id/product_uuid");
    if (asDirectory) {
        QVERIFY(QDir().mkpath(uuidPath));
    } else {
        if (::geteuid() == 0)
            QSKIP("running as root: mode 000 does not stop root from reading; the directory row covers it");
        root.write(QStringLiteral("sys/class/dmi/id/product_uuid"), "12345678-abcd-ef01-2345-6789abcdef01\n");
        QVERIFY(QFile::setPermissions(uuidPath, QFileDevice::Permissions()));
    }
    const QList<Attribute> attributes = LinuxCollector(root.path()).collect();
    QCOMPARE(keysOf(attributes), QStringList{QStringLiteral("machine_id")});
    QCOMPARE(hashAttributes(attributes), kVector2);
}

void TestFingerprint::primaryMacSelection_data()
{
    // Each interface: "name address flags type"; "-" leaves that file out.
    QTest::addColumn<QStringList>("interfaces");
    QTest::addColumn<QString>("expected"); // empty: no mac_address attribute

    const QString good = QStringLiteral("aa:bb:cc:dd:ee:ff");
    QTest::newRow("single") << QStringList{QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")} << good;
    QTest::newRow("uppercase lowercased") << QStringList{QStringLiteral("eth0 AA:BB:CC:DD:EE:FF 0x1003 1")} << good;
    QTest::newRow("alphabetical") << QStringList{QStringLiteral("wlan0 33:33:33:33:33:33 0x1003 1"),
                                                 QStringLiteral("eth1 22:22:22:22:22:22 0x1003 1"),
                                                 QStringLiteral("enp0s3 11:11:11:11:11:11 0x1003 1")}
                                  << QStringLiteral("11:11:11:11:11:11");
    QTest::newRow("byte order of names") << QStringList{QStringLiteral("eth1 22:22:22:22:22:22 0x1003 1"),
                                                        QStringLiteral("eth10 10:10:10:10:10:10 0x1003 1"),
                                                        QStringLiteral("Eth2 e2:e2:e2:e2:e2:e2 0x1003 1")}
                                         << QStringLiteral("e2:e2:e2:e2:e2:e2");
    QTest::newRow("lo skipped by name") << QStringList{QStringLiteral("lo 11:22:33:44:55:66 0x1003 1"),
                                                       QStringLiteral("wlan0 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                        << good;
    QTest::newRow("loopback skipped by flags") << QStringList{QStringLiteral("eth0 11:22:33:44:55:66 0x9 1"),
                                                              QStringLiteral("eth1 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                               << good;
    QTest::newRow("loopback skipped by type") << QStringList{QStringLiteral("eth0 11:22:33:44:55:66 0x1003 772"),
                                                             QStringLiteral("eth1 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                              << good;
    QTest::newRow("null prefix skipped") << QStringList{QStringLiteral("eth0 00:00:00:12:34:56 0x1003 1"),
                                                        QStringLiteral("eth1 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                         << good;
    QTest::newRow("docker prefix skipped") << QStringList{QStringLiteral("docker0 02:42:ac:11:00:02 0x1003 1"),
                                                          QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                           << good;
    QTest::newRow("docker prefix upper case skipped")
        << QStringList{QStringLiteral("docker0 02:42:AC:11:00:02 0x1003 1"),
                       QStringLiteral("eth0 AA:BB:CC:DD:EE:FF 0x1003 1")}
        << good;
    QTest::newRow("near-docker prefix kept") << QStringList{QStringLiteral("docker0 02:43:ac:11:00:02 0x1003 1"),
                                                            QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")}
                                             << QStringLiteral("02:43:ac:11:00:02");
    QTest::newRow("no address file skipped")
        << QStringList{QStringLiteral("br0 - 0x1003 1"), QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")} << good;
    QTest::newRow("empty address skipped")
        << QStringList{QStringLiteral("br0 \"\" 0x1091 65534"), QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")}
        << good;
    QTest::newRow("missing flags and type still counts")
        << QStringList{QStringLiteral("eth0 aa:bb:cc:dd:ee:ff - -")} << good;
    QTest::newRow("ipv4 tunnel endpoint skipped")
        << QStringList{QStringLiteral("gre1 c0:a8:01:01 0x91 778"), QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")}
        << good;
    QTest::newRow("ipv6 tunnel endpoint skipped")
        << QStringList{QStringLiteral("ip6tnl1 fd:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01 0x91 769"),
                       QStringLiteral("eth0 aa:bb:cc:dd:ee:ff 0x1003 1")}
        << good;
    QTest::newRow("none qualifies") << QStringList{QStringLiteral("lo 00:00:00:00:00:00 0x9 772"),
                                                   QStringLiteral("docker0 02:42:ac:11:00:01 0x1003 1"),
                                                   QStringLiteral("tun0 - 0x1091 65534")}
                                    << QString();
}

void TestFingerprint::primaryMacSelection()
{
    QFETCH(QStringList, interfaces);
    QFETCH(QString, expected);
    FakeRoot root;
    QVERIFY(root.isValid());
    for (const QString &spec : std::as_const(interfaces)) {
        QStringList parts = spec.split(u' ');
        QCOMPARE(parts.size(), 4);
        if (parts[1] == QLatin1String("\"\""))
            parts[1].clear();
        root.addInterface(parts[0], parts[1], parts[2], parts[3]);
    }
    // Not an interface: sysfs lists this file beside the interface links.
    root.write(QStringLiteral("sys/class/net/bonding_masters"), "bond0\n");
    const QList<Attribute> attributes = LinuxCollector(root.path()).collect();
    if (expected.isEmpty()) {
        QVERIFY(!keysOf(attributes).contains(QString(kMacAddress)));
    } else {
        QCOMPARE(valueOf(attributes, kMacAddress), expected);
    }
}

void TestFingerprint::primaryMacFromList()
{
    // The rule the non-Linux collectors apply to QNetworkInterface's list.
    QCOMPARE(primaryMacAddress({}), QString());
    QCOMPARE(primaryMacAddress({{QStringLiteral("lo0"), true, QStringLiteral("11:22:33:44:55:66")},
                                {QStringLiteral("en1"), false, QString()},
                                {QStringLiteral("en0"), false, QStringLiteral(" AA:BB:CC:DD:EE:FF ")}}),
             QStringLiteral("aa:bb:cc:dd:ee:ff"));
    QCOMPARE(primaryMacAddress({{QStringLiteral("Ethernet"), false, QStringLiteral("02:42:00:00:00:01")},
                                {QStringLiteral("Wi-Fi"), false, QStringLiteral("00:00:00:00:00:00:00:E0")}}),
             QString());
}

void TestFingerprint::platformCollectors()
{
#ifdef Q_OS_LINUX
    QCOMPARE(makePlatformCollector()->platform(), QStringLiteral("linux"));
#endif
#if !defined(Q_OS_WIN)
    const WindowsCollector windows;
    QCOMPARE(windows.collect(), QList<Attribute>{});
    QVERIFY(!windows.unavailableReason().isEmpty());
#endif
#if !defined(Q_OS_MACOS)
    const MacCollector mac;
    QCOMPARE(mac.collect(), QList<Attribute>{});
    QVERIFY(!mac.unavailableReason().isEmpty());
#endif
#if !defined(Q_OS_WIN)
    // A collector with nothing to offer falls through to the persisted tiers.
    QTemporaryDir persist;
    const WindowsCollector windowsOnLinux;
    FingerprintOptions options;
    options.persistDir = persist.path();
    const auto result = computeFingerprint(options, windowsOnLinux);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.errorMessage()));
    QCOMPARE(result->tier, Tier::Generated);
#endif
}

void TestFingerprint::hardwareTierCachesIdentity()
{
    FakeRoot root;
    QVERIFY(root.isValid());
    root.makeVector1Machine();
    QTemporaryDir base;
    FingerprintOptions options;
    options.root = root.path();
    options.persistDir = base.filePath(QStringLiteral("state/imprint"));

    const auto result = computeFingerprint(options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.errorMessage()));
    QCOMPARE(result->value, kVector1);
    QCOMPARE(result->tier, Tier::Hardware);
    QCOMPARE(keysOf(result->attributes), (QStringList{QStringLiteral("mac_address"), QStringLiteral("machine_id"),
                                                      QStringLiteral("product_uuid")}));

    const QString identity = options.persistDir + QStringLiteral("/imprint-identity");
    QCOMPARE(identityFilePath(options.persistDir), identity);
    QCOMPARE(contentOf(identity), kVector1.toUtf8() + '\n');
    QCOMPARE(modeOf(identity), mode_t(0600));
    QCOMPARE(modeOf(options.persistDir), mode_t(0700));
    // Only the identity file: no temporary left behind.
    QCOMPARE(QDir(options.persistDir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("imprint-identity")});

    // Hardware wins over a different cached identity, and refreshes the cache.
    QVERIFY(writeIdentityFile(options.persistDir, kVector2).ok());
    const auto again = computeFingerprint(options);
    QVERIFY(again.ok());
    QCOMPARE(again->value, kVector1);
    QCOMPARE(again->tier, Tier::Hardware);
    QCOMPARE(contentOf(identity), kVector1.toUtf8() + '\n');

    // Without a persist directory the hardware tier writes nothing and still works.
    options.persistDir.clear();
    const auto uncached = computeFingerprint(options);
    QVERIFY(uncached.ok());
    QCOMPARE(uncached->value, kVector1);
}

void TestFingerprint::hardwareTierWithStaticCollectorNormalises()
{
    const StaticCollector collector(
        {{QStringLiteral("machine_id"), QStringLiteral(" 0123456789ABCDEF0123456789abcdef\n")},
         {QStringLiteral("product_uuid"), QStringLiteral(" \t\n")}});
    const auto result = computeFingerprint({}, collector);
    QVERIFY(result.ok());
    QCOMPARE(result->value, kVector2);
    QCOMPARE(result->tier, Tier::Hardware);
    QCOMPARE(keysOf(result->attributes), QStringList{QStringLiteral("machine_id")});
}

void TestFingerprint::hardwareTierSurvivesCacheFailure()
{
    const StaticCollector collector(
        {{QStringLiteral("machine_id"), QStringLiteral("0123456789abcdef0123456789abcdef")}});
    QTemporaryDir persist;
    FingerprintOptions options;
    options.persistDir = persist.path();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("event=identity_cache_failed")));
    Result<Fingerprint> result = Result<Fingerprint>::failure(QString());
    {
        const FaultHookGuard guard(AtomicWriteStep::Rename);
        result = computeFingerprint(options, collector);
    }
    QVERIFY(result.ok());
    QCOMPARE(result->value, kVector2);
    QCOMPARE(result->tier, Tier::Hardware);
    QVERIFY(!QFile::exists(identityFilePath(persist.path())));
}

void TestFingerprint::persistedTier()
{
    FakeRoot root;
    QTemporaryDir persist;
    QFile file(persist.filePath(QStringLiteral("imprint-identity")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("  " + kVector2.toUtf8() + "\n\n");
    file.close();

    FingerprintOptions options;
    options.root = root.path();
    options.persistDir = persist.path();
    const auto result = computeFingerprint(options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.errorMessage()));
    QCOMPARE(result->value, kVector2);
    QCOMPARE(result->tier, Tier::Persisted);
    QVERIFY(result->attributes.isEmpty());
    // Reading leaves the file alone.
    QCOMPARE(contentOf(file.fileName()), "  " + kVector2.toUtf8() + "\n\n");
}

void TestFingerprint::persistedTierKeepsMalformedContent()
{
    // The reference uses any non-empty content; a peer may have written it.
    QTemporaryDir persist;
    QFile file(persist.filePath(QStringLiteral("imprint-identity")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("legacy-Identity\n");
    file.close();
    FingerprintOptions options;
    options.persistDir = persist.path();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("event=identity_malformed")));
    const auto result = computeFingerprint(options, StaticCollector({}));
    QVERIFY(result.ok());
    QCOMPARE(result->value, QStringLiteral("legacy-Identity"));
    QCOMPARE(result->tier, Tier::Persisted);
}

void TestFingerprint::generatedTierPersistsAndIsStable()
{
    FakeRoot root;
    QTemporaryDir base;
    FingerprintOptions options;
    options.root = root.path();
    options.persistDir = base.filePath(QStringLiteral("new/dir"));

    const auto first = computeFingerprint(options);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.errorMessage()));
    QCOMPARE(first->tier, Tier::Generated);
    QVERIFY2(isWellFormedFingerprint(first->value), qPrintable(first->value));
    QVERIFY(first->attributes.isEmpty());

    const QString identity = identityFilePath(options.persistDir);
    QCOMPARE(contentOf(identity), first->value.toUtf8() + '\n');
    QCOMPARE(modeOf(identity), mode_t(0600));
    QCOMPARE(modeOf(options.persistDir), mode_t(0700));

    const auto second = computeFingerprint(options);
    QVERIFY(second.ok());
    QCOMPARE(second->tier, Tier::Persisted);
    QCOMPARE(second->value, first->value);

    // Another machine (another directory) gets another identity.
    options.persistDir = base.filePath(QStringLiteral("other"));
    const auto other = computeFingerprint(options);
    QVERIFY(other.ok());
    QCOMPARE(other->tier, Tier::Generated);
    QVERIFY(other->value != first->value);
}

void TestFingerprint::whitespaceIdentityCountsAsAbsent()
{
    QTemporaryDir persist;
    const QString identity = persist.filePath(QStringLiteral("imprint-identity"));
    QFile file(identity);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(" \n\t\n");
    file.close();
    QCOMPARE(readIdentityFile(persist.path()).value(), QString());

    FingerprintOptions options;
    options.persistDir = persist.path();
    const auto result = computeFingerprint(options, StaticCollector({}));
    QVERIFY(result.ok());
    QCOMPARE(result->tier, Tier::Generated);
    QCOMPARE(contentOf(identity), result->value.toUtf8() + '\n');
    QCOMPARE(modeOf(identity), mode_t(0600));
}

void TestFingerprint::noPersistDirFails()
{
    FakeRoot root;
    FingerprintOptions options;
    options.root = root.path();
    const auto result = computeFingerprint(options);
    QVERIFY(!result.ok());
    QCOMPARE(result.errorMessage(),
             QStringLiteral("no hardware attributes could be read and no persist directory is configured; "
                            "pass --persist-dir"));
}

void TestFingerprint::generatedPersistFailureIsError()
{
    for (const AtomicWriteStep step : {AtomicWriteStep::Create, AtomicWriteStep::Write, AtomicWriteStep::Rename}) {
        QTemporaryDir persist;
        FingerprintOptions options;
        options.persistDir = persist.path();
        Result<Fingerprint> result = Result<Fingerprint>::failure(QString());
        {
            const FaultHookGuard guard(step);
            result = computeFingerprint(options, StaticCollector({}));
        }
        QVERIFY(!result.ok());
        QVERIFY2(result.errorMessage().startsWith(QStringLiteral("cannot persist the generated identity: ")),
                 qPrintable(result.errorMessage()));
        QVERIFY(!QFile::exists(identityFilePath(persist.path())));
    }

    // A persist directory that cannot be created.
    QTemporaryDir base;
    QFile blocker(base.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    FingerprintOptions options;
    options.persistDir = base.filePath(QStringLiteral("file/sub"));
    const auto result = computeFingerprint(options, StaticCollector({}));
    QVERIFY(!result.ok());
    QVERIFY2(result.errorMessage().contains(options.persistDir), qPrintable(result.errorMessage()));
}

void TestFingerprint::unreadableIdentityFileIsError()
{
    // It exists but cannot be read (a directory here, so that root cannot read it
    // either): generating a new identity over it would change the machine's identity.
    QTemporaryDir persist;
    QVERIFY(QDir(persist.path()).mkdir(QStringLiteral("imprint-identity")));
    FingerprintOptions options;
    options.persistDir = persist.path();
    const auto result = computeFingerprint(options, StaticCollector({}));
    QVERIFY(!result.ok());
    QVERIFY2(result.errorMessage().contains(QStringLiteral("cannot read the identity file")),
             qPrintable(result.errorMessage()));
    QVERIFY(QFileInfo(identityFilePath(persist.path())).isDir());
}

void TestFingerprint::existingPersistDirKeepsItsMode()
{
    QTemporaryDir persist;
    QVERIFY(QFile::setPermissions(persist.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                      QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                                      QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                      QFileDevice::ExeOther));
    QCOMPARE(modeOf(persist.path()), mode_t(0755));
    QVERIFY(writeIdentityFile(persist.path(), kVector1).ok());
    QCOMPARE(modeOf(persist.path()), mode_t(0755));
    QCOMPARE(modeOf(identityFilePath(persist.path())), mode_t(0600));
    QCOMPARE(readIdentityFile(persist.path()).value(), kVector1);
}

QTEST_GUILESS_MAIN(TestFingerprint)
#include "tst_fingerprint.moc"
