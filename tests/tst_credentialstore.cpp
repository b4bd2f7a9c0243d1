#include "common/atomicfile.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "device/credentialstore.h"
#include "protocol/codec.h"
#include "support/cryptofixtures.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace imprint;
using namespace imprint::device;
using imprint::testing::OpensslWorkspace;

namespace {

// One complete credential set as a service would hand it out, made by the openssl command
// line (an oracle independent of core/crypto).
struct TestSet {
    QByteArray keyPem;
    QByteArray certPem;
    QByteArray caPem;
    protocol::EnrollmentInfo enrollment;

    crypto::PrivateKey key() const { return crypto::PrivateKey::fromPem(keyPem).value(); }
};

QStringList entries(const QString &directory)
{
    return QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

const QStringList kStandardFiles{QStringLiteral("ca.crt"), QStringLiteral("client.crt"), QStringLiteral("client.key"),
                                 QStringLiteral("enrollment.json")};

mode_t modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode & 07777;
}

bool writeRaw(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

bool copyDirectory(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    for (const QString &name : entries(from)) {
        if (!QFile::copy(from + u'/' + name, to + u'/' + name))
            return false;
    }
    return true;
}

// Fault injection: the hook is a plain function pointer, so its state is global.
struct FaultPlan {
    int failAt = 0; // 1-based step to fail; 0 = none
    int count = 0;  // steps seen
    bool injected = false;
    QList<AtomicWriteStep> steps;
    QString snapshotDirectory; // when set, the store is copied here before every step
    QString snapshotRoot;
};
FaultPlan g_plan;

bool faultHook(const QString &, AtomicWriteStep step)
{
    ++g_plan.count;
    g_plan.steps.append(step);
    if (!g_plan.snapshotRoot.isEmpty()) {
        copyDirectory(g_plan.snapshotDirectory,
                      g_plan.snapshotRoot + QStringLiteral("/%1").arg(g_plan.count, 3, 10, QLatin1Char('0')));
    }
    if (g_plan.count == g_plan.failAt) {
        g_plan.injected = true;
        return false;
    }
    return true;
}

class HookGuard {
public:
    explicit HookGuard(FaultPlan plan)
    {
        g_plan = std::move(plan);
        setAtomicWriteFaultHook(&faultHook);
    }
    ~HookGuard() { setAtomicWriteFaultHook(nullptr); }
    HookGuard(const HookGuard &) = delete;
    HookGuard &operator=(const HookGuard &) = delete;
};

class UmaskGuard {
public:
    explicit UmaskGuard(mode_t mask) : m_previous(::umask(mask)) {}
    ~UmaskGuard() { ::umask(m_previous); }
    UmaskGuard(const UmaskGuard &) = delete;
    UmaskGuard &operator=(const UmaskGuard &) = delete;

private:
    mode_t m_previous;
};

} // namespace

class TestCredentialStore : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void saveLoadRoundTrip();
    void filesAndModes_data();
    void filesAndModes();
    void writtenFilesReadByOpenssl();
    void readsDirectoryWrittenByOpenssl_data();
    void readsDirectoryWrittenByOpenssl();
    void switchFailureAtEveryStep();
    void crashAtEveryStepLoadsCompleteSet();
    void stagedFilesWithoutJournalRolledBack();
    void tornOrForeignJournalDiscarded();
    void keyCertificateMismatchNamesFiles();
    void missingFile_data();
    void missingFile();
    void missingDirectory();
    void garbageFiles_data();
    void garbageFiles();
    void saveRefusesInconsistentSet();
    void generationTokenTracksSwitches();
    void writerWaitsForLock();
    void concurrentWritersAndReaders();
    void removeLeavesNotEnrolled();
    void defaultDirectory();

private:
    TestSet makeSet(const QString &ca, const QString &serverId, const QString &fingerprint);
    Status saveSet(CredentialStore &store, const TestSet &set);
    // 'A', 'B' or '?' (a mix, or neither) for a loaded set.
    char classify(const Credentials &credentials) const;

    OpensslWorkspace m_ws;
    TestSet m_a;
    TestSet m_b;
    TestSet m_c; // same CA as m_a, another key
};

TestSet TestCredentialStore::makeSet(const QString &ca, const QString &serverId, const QString &fingerprint)
{
    static int counter = 0;
    const QString name = QStringLiteral("dev%1").arg(++counter);
    TestSet set;
    if (!QFileInfo::exists(m_ws.path(ca + QLatin1String(".crt")))) {
        const QString org = QStringLiteral("Imprint CA ") + ca;
        if (m_ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", ca + ".key"}).exitCode != 0)
            return set;
        if (m_ws.run({"req", "-x509", "-new", "-key", ca + ".key", "-subj", "/O=" + org + "/CN=" + org, "-days", "7300",
                      "-out", ca + ".crt", "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext",
                      "keyUsage=critical,keyCertSign,cRLSign"})
                .exitCode != 0)
            return set;
    }
    m_ws.write(name + ".ext",
               "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=URI:imprint://server/" +
                   serverId.toUtf8() + "\n");
    if (m_ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", name + ".key"}).exitCode != 0 ||
        m_ws.run({"req", "-new", "-key", name + ".key", "-subj", "/CN=" + serverId, "-out", name + ".csr"}).exitCode !=
            0 ||
        m_ws.run({"x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key", "-set_serial",
                  QStringLiteral("0x0a0b0c0d0e0f10%1").arg(counter, 2, 10, QLatin1Char('0')), "-days", "365",
                  "-extfile", name + ".ext", "-out", name + ".crt"})
                .exitCode != 0)
        return set;
    set.keyPem = m_ws.read(name + ".key");
    set.certPem = m_ws.read(name + ".crt");
    set.caPem = m_ws.read(ca + ".crt");
    set.enrollment = {serverId, fingerprint};
    return set;
}

Status TestCredentialStore::saveSet(CredentialStore &store, const TestSet &set)
{
    return store.save(set.key(), set.certPem, set.caPem, set.enrollment);
}

char TestCredentialStore::classify(const Credentials &credentials) const
{
    for (const auto &[letter, set] : {std::pair{'A', &m_a}, std::pair{'B', &m_b}}) {
        if (credentials.certificatePem == set->certPem && credentials.caPem == set->caPem &&
            credentials.key.toPem() == set->key().toPem() && credentials.enrollment == set->enrollment &&
            credentials.certificate.matchesPrivateKey(credentials.key))
            return letter;
    }
    return '?';
}

void TestCredentialStore::initTestCase()
{
    QVERIFY(m_ws.isValid());
    m_a = makeSet(QStringLiteral("ca1"), QStringLiteral("srv_0123456789abcdef0123456789abcdef"),
                  QStringLiteral("sha256:") + QString(64, u'a'));
    m_b = makeSet(QStringLiteral("ca2"), QStringLiteral("srv_fedcba9876543210fedcba9876543210"),
                  QStringLiteral("sha256:") + QString(64, u'b'));
    m_c = makeSet(QStringLiteral("ca1"), QStringLiteral("srv_0123456789abcdef0123456789abcdef"),
                  QStringLiteral("sha256:") + QString(64, u'a'));
    for (const TestSet *set : {&m_a, &m_b, &m_c}) {
        QVERIFY(set->keyPem.startsWith("-----BEGIN EC PRIVATE KEY-----"));
        QVERIFY(set->certPem.startsWith("-----BEGIN CERTIFICATE-----"));
        QVERIFY(crypto::Certificate::fromPem(set->certPem).ok());
    }
}

void TestCredentialStore::saveLoadRoundTrip()
{
    QTemporaryDir dir;
    CredentialStore store(dir.filePath(QStringLiteral("store")));
    QVERIFY(!store.isEnrolled());
    const Status saved = saveSet(store, m_a);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.errorMessage()));
    QVERIFY(store.isEnrolled());

    const auto loaded = CredentialStore(store.directory()).load();
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.errorMessage()));
    QCOMPARE(classify(loaded.value()), 'A');
    QCOMPARE(loaded->enrollment.serverId, m_a.enrollment.serverId);
    QCOMPARE(loaded->enrollment.fingerprint, m_a.enrollment.fingerprint);
    QVERIFY(loaded->certificate.equals(crypto::Certificate::fromPem(m_a.certPem).value()));
    QVERIFY(loaded->ca.equals(crypto::Certificate::fromPem(m_a.caPem).value()));
    QCOMPARE(loaded->generation, store.generationToken());

    // A second switch replaces the whole set.
    QVERIFY(saveSet(store, m_b).ok());
    const auto second = store.load();
    QVERIFY(second.ok());
    QCOMPARE(classify(second.value()), 'B');
    QCOMPARE(entries(store.directory()), kStandardFiles);
}

void TestCredentialStore::filesAndModes_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("umask 022") << 022;
    QTest::newRow("umask 077") << 077;
    QTest::newRow("umask 000") << 000;
}

void TestCredentialStore::filesAndModes()
{
    QFETCH(int, mask);
    const UmaskGuard umaskGuard{static_cast<mode_t>(mask)};
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("nested/store"));
    CredentialStore store(path);
    for (const TestSet *set : {&m_a, &m_b}) { // first save, then a switch
        QVERIFY(saveSet(store, *set).ok());
        QCOMPARE(entries(path), kStandardFiles);
        QCOMPARE(modeOf(path), mode_t(0700));
        QCOMPARE(modeOf(store.keyPath()), mode_t(0600));
        QCOMPARE(modeOf(store.certificatePath()), mode_t(0644));
        QCOMPARE(modeOf(store.caPath()), mode_t(0644));
        QCOMPARE(modeOf(store.enrollmentPath()), mode_t(0644));

        const QByteArray key = readFileLimited(store.keyPath(), 65536).value();
        QVERIFY(key.startsWith("-----BEGIN EC PRIVATE KEY-----\n"));
        QVERIFY(key.trimmed().endsWith("-----END EC PRIVATE KEY-----"));
        QCOMPARE(readFileLimited(store.certificatePath(), 65536).value(), set->certPem);
        QCOMPARE(readFileLimited(store.caPath(), 65536).value(), set->caPem);
        // Go's json.MarshalIndent(meta, "", "  "): no trailing newline.
        QCOMPARE(readFileLimited(store.enrollmentPath(), 65536).value(),
                 "{\n  \"server_id\": \"" + set->enrollment.serverId.toUtf8() + "\",\n  \"fingerprint\": \"" +
                     set->enrollment.fingerprint.toUtf8() + "\"\n}");
    }

    // A directory left open by an older tool is tightened.
    QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions(0x7755)));
    QVERIFY(saveSet(store, m_a).ok());
    QCOMPARE(modeOf(path), mode_t(0700));
}

void TestCredentialStore::writtenFilesReadByOpenssl()
{
    // What the Go reference client (and any other tool) does with our files.
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    const auto checked = m_ws.run({"ec", "-in", store.keyPath(), "-check", "-noout"});
    IMPRINT_VERIFY_PROCESS(checked);
    const auto keyPublic = m_ws.run({"pkey", "-in", store.keyPath(), "-pubout"});
    IMPRINT_VERIFY_PROCESS(keyPublic);
    const auto certPublic = m_ws.run({"x509", "-in", store.certificatePath(), "-noout", "-pubkey"});
    IMPRINT_VERIFY_PROCESS(certPublic);
    QCOMPARE(keyPublic.out, certPublic.out);
    const auto verified = m_ws.run({"verify", "-CAfile", store.caPath(), store.certificatePath()});
    IMPRINT_VERIFY_PROCESS(verified);
}

void TestCredentialStore::readsDirectoryWrittenByOpenssl_data()
{
    QTest::addColumn<QString>("keyKind");
    QTest::newRow("SEC1 (ecparam -noout)") << "p256-sec1";
    QTest::newRow("SEC1 with EC PARAMETERS") << "p256-sec1-params";
    QTest::newRow("PKCS#8") << "p256-pkcs8";
}

void TestCredentialStore::readsDirectoryWrittenByOpenssl()
{
    QFETCH(QString, keyKind);
    // The layout the reference client writes, made entirely by the openssl command line.
    OpensslWorkspace ws;
    IMPRINT_VERIFY_PROCESS(ws.run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ca.key"}));
    IMPRINT_VERIFY_PROCESS(ws.run({"req", "-x509", "-new", "-key", "ca.key", "-subj", "/O=Go CA/CN=Go CA", "-days",
                                   "3650", "-out", "ca.crt", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                                   "keyUsage=critical,keyCertSign,cRLSign"}));
    QVERIFY(QDir().mkpath(ws.path(QStringLiteral("store"))));
    IMPRINT_VERIFY_PROCESS(ws.generateKey(keyKind, QStringLiteral("store/client.key")));
    IMPRINT_VERIFY_PROCESS(ws.run({"req", "-new", "-key", "store/client.key", "-subj",
                                   "/CN=srv_00112233445566778899aabbccddeeff", "-out", "client.csr"}));
    IMPRINT_VERIFY_PROCESS(ws.run({"x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                                   "-CAcreateserial", "-days", "30", "-out", "store/client.crt"}));
    QVERIFY(QFile::copy(ws.path(QStringLiteral("ca.crt")), ws.path(QStringLiteral("store/ca.crt"))));
    QVERIFY(ws.write(QStringLiteral("store/enrollment.json"),
                     "{\n  \"server_id\": \"srv_00112233445566778899aabbccddeeff\",\n  \"fingerprint\": "
                     "\"sha256:8fb8922d08caf78d8efa97383e3b235b2a74a6c310e346bac1d1a7be7b5be8cd\"\n}"));

    CredentialStore store(ws.path(QStringLiteral("store")));
    QVERIFY(store.isEnrolled());
    const auto loaded = store.load();
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.errorMessage()));
    QCOMPARE(loaded->enrollment.serverId, QStringLiteral("srv_00112233445566778899aabbccddeeff"));
    QCOMPARE(loaded->enrollment.fingerprint,
             QStringLiteral("sha256:8fb8922d08caf78d8efa97383e3b235b2a74a6c310e346bac1d1a7be7b5be8cd"));
    QCOMPARE(loaded->certificate.subjectCommonName(), QStringLiteral("srv_00112233445566778899aabbccddeeff"));
    QVERIFY(loaded->certificate.matchesPrivateKey(loaded->key));
    QCOMPARE(loaded->key.type(), crypto::KeyType::EcP256);
    QCOMPARE(loaded->caPem, ws.read(QStringLiteral("ca.crt")));
}

void TestCredentialStore::switchFailureAtEveryStep()
{
    QSet<int> failedKinds;
    int failAt = 1;
    int committedFailures = 0;
    for (;; ++failAt) {
        QTemporaryDir dir;
        CredentialStore store(dir.path());
        QVERIFY(saveSet(store, m_a).ok());

        Status status;
        {
            const HookGuard hook(FaultPlan{failAt, 0, false, {}, {}, {}});
            status = saveSet(store, m_b);
        }
        if (!g_plan.injected) {
            QVERIFY(status.ok()); // the run without a failure
            break;
        }
        const AtomicWriteStep failedStep = g_plan.steps.at(failAt - 1);
        failedKinds.insert(int(failedStep));
        const QByteArray context = QByteArray("failure at step ") + QByteArray::number(failAt) + " (kind " +
                                   QByteArray::number(int(failedStep)) + "): " +
                                   (status.ok() ? QByteArray("save succeeded") : status.errorMessage().toUtf8());

        // A fresh store object (as another process would) sees exactly one complete set:
        // the old one when save() failed, the new one when it reported success.
        const auto loaded = CredentialStore(dir.path()).load();
        QVERIFY2(loaded.ok(), context.constData());
        QCOMPARE(classify(loaded.value()), status.ok() ? 'B' : 'A');
        if (!status.ok())
            QVERIFY2(status.errorMessage().contains(dir.path()), context.constData());
        else
            ++committedFailures;
        // Leftovers are gone after that load, and the standard files are all there.
        QCOMPARE(entries(dir.path()), kStandardFiles);
        QCOMPARE(modeOf(store.keyPath()), mode_t(0600));
        // The store keeps working: the next switch succeeds.
        QVERIFY(saveSet(store, m_b).ok());
        QCOMPARE(classify(store.load().value()), 'B');
    }
    // Four staged files (create, write, flush each), the journal (create, write, flush,
    // rename, sync), four renames and two directory syncs.
    QVERIFY2(failAt > 20, qPrintable(QStringLiteral("only %1 steps").arg(failAt - 1)));
    QCOMPARE(failedKinds.size(), 5);
    QVERIFY(committedFailures > 0); // failures after the commit point were exercised
}

void TestCredentialStore::crashAtEveryStepLoadsCompleteSet()
{
    QTemporaryDir dir;
    const QString storePath = dir.filePath(QStringLiteral("store"));
    const QString snapshots = dir.filePath(QStringLiteral("snapshots"));
    CredentialStore store(storePath);
    QVERIFY(saveSet(store, m_a).ok());
    {
        const HookGuard hook(FaultPlan{0, 0, false, {}, storePath, snapshots});
        QVERIFY(saveSet(store, m_b).ok());
    }
    const QStringList states = QDir(snapshots).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    QVERIFY(states.size() > 20);

    int oldSets = 0;
    int newSets = 0;
    int rolledForward = 0;
    for (const QString &state : states) {
        const QString path = snapshots + u'/' + state;
        const bool hadLeftovers = entries(path) != kStandardFiles;
        // Recovery itself can be interrupted: snapshot it too and check each of its states.
        const QString nested = dir.filePath(QStringLiteral("nested-") + state);
        char which = '?';
        {
            const HookGuard hook(FaultPlan{0, 0, false, {}, path, nested});
            const auto loaded = CredentialStore(path).load();
            QVERIFY2(loaded.ok(),
                     qPrintable(state + QLatin1String(": ") + (loaded.ok() ? QString() : loaded.errorMessage())));
            which = classify(loaded.value());
        }
        QVERIFY2(which == 'A' || which == 'B', qPrintable(state));
        QCOMPARE(entries(path), kStandardFiles);
        (which == 'A' ? oldSets : newSets)++;
        if (which == 'B' && hadLeftovers)
            ++rolledForward;
        for (const QString &inner : QDir(nested).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const auto again = CredentialStore(nested + u'/' + inner).load();
            QVERIFY2(again.ok(), qPrintable(state + u'/' + inner));
            QCOMPARE(classify(again.value()), which);
        }
    }
    QVERIFY(oldSets > 0);
    QVERIFY(newSets > 0);
    QVERIFY(rolledForward > 0);
    // States are ordered: once the new set appears it stays.
    QCOMPARE(classify(store.load().value()), 'B');
}

void TestCredentialStore::stagedFilesWithoutJournalRolledBack()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    // A switch that died while staging: new files under the staging names, no journal.
    QVERIFY(writeRaw(dir.filePath(QStringLiteral(".client.key.new")), m_b.keyPem));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral(".client.crt.new")), m_b.certPem));
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("..switch.tmp")) /* writeFileAtomically's temporary */,
                     "imprint-credential-switch 1\n"));
    QVERIFY(store.isEnrolled());
    const auto loaded = store.load();
    QVERIFY(loaded.ok());
    QCOMPARE(classify(loaded.value()), 'A');
    QCOMPARE(entries(dir.path()), kStandardFiles);
}

void TestCredentialStore::tornOrForeignJournalDiscarded()
{
    // Capture a committed journal, then damage it.
    QTemporaryDir dir;
    const QString storePath = dir.filePath(QStringLiteral("store"));
    const QString snapshots = dir.filePath(QStringLiteral("snapshots"));
    CredentialStore store(storePath);
    QVERIFY(saveSet(store, m_a).ok());
    {
        const HookGuard hook(FaultPlan{0, 0, false, {}, storePath, snapshots});
        QVERIFY(saveSet(store, m_b).ok());
    }
    QString committed;
    for (const QString &state : QDir(snapshots).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QStringList names = entries(snapshots + u'/' + state);
        // Committed, nothing renamed yet.
        if (names.contains(QStringLiteral(".switch")) && names.contains(QStringLiteral(".ca.crt.new")) &&
            names.contains(QStringLiteral(".enrollment.json.new")) &&
            names.contains(QStringLiteral(".client.key.new")) && names.contains(QStringLiteral(".client.crt.new"))) {
            committed = snapshots + u'/' + state;
            break;
        }
    }
    QVERIFY(!committed.isEmpty());
    const QByteArray journal = readFileLimited(committed + QLatin1String("/.switch"), 4096).value();
    QVERIFY(journal.startsWith("imprint-credential-switch 1\n"));

    const QList<QPair<QByteArray, QByteArray>> damaged = {
        {"truncated", journal.left(journal.size() / 2)},
        {"empty", QByteArray()},
        {"bit flip", QByteArray(journal).replace("client.key ", "client.kez ")},
        {"garbage", QByteArray(300, '\xff')},
    };
    for (const auto &[label, content] : damaged) {
        const QString copy = dir.filePath(QStringLiteral("copy-") + QString::fromLatin1(label).replace(u' ', u'-'));
        QVERIFY(copyDirectory(committed, copy));
        QVERIFY(writeRaw(copy + QLatin1String("/.switch"), content));
        const auto loaded = CredentialStore(copy).load();
        QVERIFY2(loaded.ok(), label.constData());
        QCOMPARE(classify(loaded.value()), 'A'); // nothing renamed yet in that state
        QCOMPARE(entries(copy), kStandardFiles);
    }
    // A staged file that does not match the journal: the journal is not trusted either.
    const QString mismatched = dir.filePath(QStringLiteral("copy-mismatched"));
    QVERIFY(copyDirectory(committed, mismatched));
    QVERIFY(writeRaw(mismatched + QLatin1String("/.client.key.new"), m_c.keyPem));
    const auto loaded = CredentialStore(mismatched).load();
    QVERIFY(loaded.ok());
    QCOMPARE(classify(loaded.value()), 'A');
    QCOMPARE(entries(mismatched), kStandardFiles);
}

void TestCredentialStore::keyCertificateMismatchNamesFiles()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    // What the reference client's one-by-one replacement leaves after a crash.
    QVERIFY(writeRaw(store.keyPath(), m_c.keyPem));
    QVERIFY(store.isEnrolled());
    const auto loaded = store.load();
    QVERIFY(!loaded.ok());
    const QString message = loaded.errorMessage();
    QVERIFY2(message.contains(QStringLiteral("client.key does not match client.crt")), qPrintable(message));
    QVERIFY2(message.contains(dir.path()), qPrintable(message));
}

void TestCredentialStore::missingFile_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<bool>("enrolled");
    QTest::newRow("client.key") << "client.key" << false;
    QTest::newRow("client.crt") << "client.crt" << false;
    QTest::newRow("ca.crt") << "ca.crt" << false;
    QTest::newRow("enrollment.json") << "enrollment.json" << true;
}

void TestCredentialStore::missingFile()
{
    QFETCH(QString, file);
    QFETCH(bool, enrolled);
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    QVERIFY(QFile::remove(dir.filePath(file)));
    QCOMPARE(store.isEnrolled(), enrolled);
    const auto loaded = store.load();
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.errorMessage().contains(file + QLatin1String(" is missing in ") + dir.path()),
             qPrintable(loaded.errorMessage()));
    QCOMPARE(loaded.errorMessage().startsWith(QLatin1String("not enrolled")), !enrolled);
}

void TestCredentialStore::missingDirectory()
{
    QTemporaryDir dir;
    CredentialStore store(dir.filePath(QStringLiteral("absent")));
    QVERIFY(!store.isEnrolled());
    QVERIFY(store.generationToken().isEmpty());
    QVERIFY(!store.lastModified().isValid());
    const auto loaded = store.load();
    QVERIFY(!loaded.ok());
    QVERIFY(loaded.errorMessage().startsWith(QLatin1String("not enrolled")));
    QVERIFY(loaded.errorMessage().contains(store.directory()));
    QVERIFY(store.remove().ok());
    QVERIFY(!QFileInfo::exists(store.directory())); // nothing created by reading or removing

    const auto empty = CredentialStore(dir.path()).load();
    QVERIFY(!empty.ok());
    QVERIFY2(empty.errorMessage().contains(QStringLiteral("client.key, client.crt, ca.crt are missing")),
             qPrintable(empty.errorMessage()));
}

void TestCredentialStore::garbageFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray noise = QByteArray::fromHex("00ff13377f80c0de") + QByteArray(100, '\x01');
    const QByteArray big(70 * 1024, 'A');
    for (const char *file : {"client.key", "client.crt", "ca.crt", "enrollment.json"}) {
        const QString name = QString::fromLatin1(file);
        QTest::addRow("%s: empty", file) << name << QByteArray() << name;
        QTest::addRow("%s: binary", file) << name << noise << name;
        QTest::addRow("%s: too large", file) << name << big << name;
    }
    QTest::newRow("client.key: a certificate") << "client.key" << QByteArray("CERT") << "client.key";
    QTest::newRow("client.crt: a key") << "client.crt" << QByteArray("KEY") << "client.crt";
    QTest::newRow("client.crt: truncated PEM") << "client.crt" << QByteArray("HALF") << "client.crt";
    QTest::newRow("enrollment.json: no fingerprint")
        << "enrollment.json" << QByteArray("{\"server_id\": \"srv_x\"}") << "\"fingerprint\"";
}

void TestCredentialStore::garbageFiles()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    if (content == "CERT")
        content = m_a.certPem;
    else if (content == "KEY")
        content = m_a.keyPem;
    else if (content == "HALF")
        content = m_a.certPem.left(m_a.certPem.size() / 2);
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    QVERIFY(writeRaw(dir.filePath(file), content));
    const auto loaded = store.load();
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.errorMessage().contains(expected), qPrintable(loaded.errorMessage()));
    QVERIFY2(loaded.errorMessage().contains(dir.path()), qPrintable(loaded.errorMessage()));
    // And a later switch repairs it.
    QVERIFY(saveSet(store, m_b).ok());
    QCOMPARE(classify(store.load().value()), 'B');
}

void TestCredentialStore::saveRefusesInconsistentSet()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    const QByteArray before = store.generationToken();

    struct Case {
        const char *label;
        Status status;
        const char *expected;
    };
    const Case cases[] = {
        {"null key", store.save(crypto::PrivateKey(), m_b.certPem, m_b.caPem, m_b.enrollment), "no private key"},
        {"key of another set", store.save(m_c.key(), m_b.certPem, m_b.caPem, m_b.enrollment),
         "not issued for this private key"},
        {"other CA", store.save(m_b.key(), m_b.certPem, m_a.caPem, m_b.enrollment), "not issued by the CA"},
        {"garbage certificate", store.save(m_b.key(), "junk", m_b.caPem, m_b.enrollment), "certificate is not valid"},
        {"garbage CA", store.save(m_b.key(), m_b.certPem, "junk", m_b.enrollment), "CA certificate is not valid"},
        {"no server_id", store.save(m_b.key(), m_b.certPem, m_b.caPem, {QString(), m_b.enrollment.fingerprint}),
         "server_id"},
        {"no fingerprint", store.save(m_b.key(), m_b.certPem, m_b.caPem, {m_b.enrollment.serverId, QString()}),
         "fingerprint"},
    };
    for (const Case &c : cases) {
        QVERIFY2(!c.status.ok(), c.label);
        QVERIFY2(c.status.errorMessage().contains(QLatin1String(c.expected)), qPrintable(c.status.errorMessage()));
    }
    QCOMPARE(store.generationToken(), before);
    QCOMPARE(entries(dir.path()), kStandardFiles);
    QCOMPARE(classify(store.load().value()), 'A');
}

void TestCredentialStore::generationTokenTracksSwitches()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(store.generationToken().isEmpty());
    QVERIFY(saveSet(store, m_a).ok());
    const QByteArray first = store.generationToken();
    QVERIFY(!first.isEmpty());
    QCOMPARE(CredentialStore(dir.path()).generationToken(), first);
    QCOMPARE(store.generationToken(), first); // stable while nothing changes
    QVERIFY(store.lastModified().isValid());
    QCOMPARE(store.lastModified().timeSpec(), Qt::UTC);

    // Also a switch to byte-identical content: every switch renames new inodes in.
    QVERIFY(saveSet(store, m_a).ok());
    const QByteArray second = store.generationToken();
    QVERIFY(second != first);
    QVERIFY(saveSet(store, m_b).ok());
    QVERIFY(store.generationToken() != second);
    QCOMPARE(store.load().value().generation, store.generationToken());
    QVERIFY(store.remove().ok());
    QVERIFY(store.generationToken().isEmpty());
}

void TestCredentialStore::writerWaitsForLock()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());

    // Another process in the middle of a switch holds the directory's lock.
    const int fd = ::open(QFile::encodeName(dir.path()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    QCOMPARE(::flock(fd, LOCK_EX), 0);

    std::atomic<bool> done = false;
    Status status;
    const crypto::PrivateKey key = m_b.key();
    std::thread writer([&] {
        status = CredentialStore(dir.path()).save(key, m_b.certPem, m_b.caPem, m_b.enrollment);
        done = true;
    });
    QTest::qWait(300);
    QVERIFY(!done);
    QCOMPARE(entries(dir.path()), kStandardFiles); // nothing staged while waiting
    ::close(fd);
    writer.join();
    QVERIFY(done);
    QVERIFY(status.ok());
    QCOMPARE(classify(store.load().value()), 'B');
}

void TestCredentialStore::concurrentWritersAndReaders()
{
    QTemporaryDir dir;
    {
        CredentialStore store(dir.path());
        QVERIFY(saveSet(store, m_a).ok());
    }
    std::atomic<int> saveFailures = 0;
    std::atomic<int> loadFailures = 0;
    std::atomic<int> mixes = 0;
    std::atomic<bool> writing = true;
    auto writer = [&](const TestSet *first, const TestSet *second) {
        const crypto::PrivateKey keys[] = {first->key(), second->key()};
        const TestSet *sets[] = {first, second};
        CredentialStore store(dir.path());
        for (int i = 0; i < 15; ++i) {
            const int n = i % 2;
            if (!store.save(keys[n], sets[n]->certPem, sets[n]->caPem, sets[n]->enrollment).ok())
                ++saveFailures;
        }
    };
    int loads = 0;
    auto reader = [&] {
        CredentialStore store(dir.path());
        while (writing) {
            const auto loaded = store.load();
            ++loads;
            if (!loaded.ok())
                ++loadFailures;
            else if (classify(loaded.value()) == '?')
                ++mixes;
        }
    };
    std::thread w1(writer, &m_a, &m_b);
    std::thread w2(writer, &m_b, &m_a);
    std::thread r(reader);
    w1.join();
    w2.join();
    writing = false;
    r.join();
    QCOMPARE(saveFailures.load(), 0);
    QCOMPARE(loadFailures.load(), 0);
    QCOMPARE(mixes.load(), 0);
    QVERIFY(loads > 0);
    QCOMPARE(entries(dir.path()), kStandardFiles);
}

void TestCredentialStore::removeLeavesNotEnrolled()
{
    QTemporaryDir dir;
    CredentialStore store(dir.path());
    QVERIFY(saveSet(store, m_a).ok());
    QVERIFY(writeRaw(dir.filePath(QStringLiteral("client.key.tmp")), m_a.keyPem)); // a reference client's leftover
    QVERIFY(store.remove().ok());
    QVERIFY(!store.isEnrolled());
    QVERIFY(entries(dir.path()).isEmpty());
    QVERIFY(QFileInfo(dir.path()).isDir());
    QVERIFY(!store.load().ok());
    QVERIFY(store.remove().ok()); // idempotent

    // A committed but unfinished switch does not come back after remove().
    const QString storePath = dir.filePath(QStringLiteral("store"));
    const QString snapshots = dir.filePath(QStringLiteral("snapshots"));
    CredentialStore second(storePath);
    QVERIFY(saveSet(second, m_a).ok());
    {
        const HookGuard hook(FaultPlan{0, 0, false, {}, storePath, snapshots});
        QVERIFY(saveSet(second, m_b).ok());
    }
    for (const QString &state : QDir(snapshots).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        CredentialStore snapshot(snapshots + u'/' + state);
        QVERIFY(snapshot.remove().ok());
        QVERIFY2(entries(snapshot.directory()).isEmpty(), qPrintable(state));
        QVERIFY(!snapshot.isEnrolled());
    }
}

void TestCredentialStore::defaultDirectory()
{
    const QString path = CredentialStore::defaultDirectory();
    if (::geteuid() == 0)
        QCOMPARE(path, QStringLiteral("/var/lib/imprint"));
    else
        QVERIFY2(path.endsWith(QLatin1String("/imprint/device")) && QDir::isAbsolutePath(path), qPrintable(path));
}

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
