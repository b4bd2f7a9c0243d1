#include "device/credentialstore.h"

#include "common/atomicfile.h"
#include "common/logging.h"
#include "crypto/digest.h"
#include "protocol/codec.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

// Switching the set atomically while the files keep their standard names
// -----------------------------------------------------------------------
// A rename replaces one file atomically, never four. So the switch is a small redo log:
//
//  1. Stage: write each new file under a hidden staging name in the same directory
//     (".client.key.new", ...), with its final mode, flushed to disk (writeFileDurably).
//  2. Commit: write the journal ".switch" (format version, the SHA-256 of each staged file,
//     a checksum of the journal itself) to a temporary name, flush it, rename it into
//     place, sync the directory. The rename of the journal is the commit point: before it
//     no reader considers the staged files, after it every reader completes the switch.
//  3. Roll forward: rename each staged file over its final name, sync the directory.
//  4. Delete the journal, sync the directory.
//
// load() first looks for leftovers. Staged files without a journal belong to a switch that
// never committed: they are deleted (roll back) and the old set, which was never touched,
// is read. A journal whose every entry is satisfied -- the staged file exists with the
// recorded digest, or has already been renamed and the final file has that digest --
// is completed (roll forward). The staged files are durable before the journal is written
// (step 1 flushes them, step 2's directory sync covers their names), so a committed
// journal can always be completed; renaming is idempotent, so a crash during recovery is
// recovered the same way. A journal that is torn or does not match the files cannot stem
// from this protocol; it is discarded, and the key/certificate check of load() then says
// whether what is in place is consistent.
//
// Until step 3 the final names hold the complete old set, after it the complete new set,
// so a reference client, which reads only the final names, sees a mix only during the
// few renames of step 3 (or after a crash within them, until our client next loads).
//
// Writers hold an exclusive flock(2) on the directory from before staging until the
// journal is gone, so two processes renewing at once cannot interleave their switches;
// readers hold a shared lock while reading the four files so that they never read half of
// a roll forward, and take the exclusive lock only to recover a leftover. Locking the
// directory itself (rather than a ".lock" file) leaves no extra file for a reference
// client to trip over and has no unlink-while-locked race.

namespace imprint::device {

namespace {

constexpr qint64 kMaxFileBytes = 64 * 1024;
constexpr qint64 kMaxJournalBytes = 4 * 1024;
constexpr QLatin1StringView kJournalFile{".switch"};
constexpr QLatin1StringView kJournalHeader{"imprint-credential-switch 1"};
constexpr QLatin1StringView kJournalTrailer{"checksum"};

struct FileSpec {
    QLatin1StringView name;
    mode_t mode;
};

// Also the order of the renames in step 3: the certificate last, because most readers
// (and generationToken()) look at it to decide whether something changed.
constexpr FileSpec kFiles[] = {
    {CredentialStore::kCaFile, 0644},
    {CredentialStore::kEnrollmentFile, 0644},
    {CredentialStore::kKeyFile, 0600},
    {CredentialStore::kCertificateFile, 0644},
};

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

QString finalPath(const QString &directory, QLatin1StringView name)
{
    return directory + u'/' + name;
}

QString stagedPath(const QString &directory, QLatin1StringView name)
{
    return directory + QLatin1String("/.") + name + QLatin1String(".new");
}

QString journalPath(const QString &directory)
{
    return finalPath(directory, kJournalFile);
}

// The temporary name writeFileAtomically() uses for the journal.
QString journalTemporaryPath(const QString &directory)
{
    return directory + QLatin1String("/.") + kJournalFile + QLatin1String(".tmp");
}

bool exists(const QString &path)
{
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0;
}

void removeQuietly(const QString &path)
{
    if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT) {
        qCWarning(lcDevice).noquote() << "event=credential_file_not_removed"
                                      << "path=" + path << "reason=" + systemError(errno);
    }
}

// flock(2) on the store directory. Closing the descriptor releases the lock, also when
// the process dies, so a crashed writer never blocks the others.
class DirectoryLock {
public:
    DirectoryLock() = default;
    DirectoryLock(DirectoryLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    DirectoryLock &operator=(DirectoryLock &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    DirectoryLock(const DirectoryLock &) = delete;
    DirectoryLock &operator=(const DirectoryLock &) = delete;
    ~DirectoryLock() { release(); }

    void release()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    static Result<DirectoryLock> acquire(const QString &directory, bool exclusive)
    {
        DirectoryLock lock;
        lock.m_fd = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (lock.m_fd < 0) {
            return Result<DirectoryLock>::failure(
                QStringLiteral("cannot open the store directory %1: %2").arg(directory, systemError(errno)));
        }
        const QDeadlineTimer deadline(CredentialStore::kLockTimeout);
        const int operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
        for (;;) {
            if (::flock(lock.m_fd, operation) == 0)
                return lock;
            const int error = errno;
            if (error == EINTR)
                continue;
            if (error != EWOULDBLOCK) {
                return Result<DirectoryLock>::failure(
                    QStringLiteral("cannot lock the store directory %1: %2").arg(directory, systemError(error)));
            }
            if (deadline.hasExpired()) {
                return Result<DirectoryLock>::failure(
                    QStringLiteral("the store directory %1 is locked by another process that is changing the "
                                   "credentials; try again")
                        .arg(directory));
            }
            QThread::msleep(10);
        }
    }

private:
    int m_fd = -1;
};

struct JournalEntry {
    QLatin1StringView name;
    QString sha256;
};

QByteArray buildJournal(const QList<JournalEntry> &entries)
{
    QByteArray body = kJournalHeader.toString().toUtf8() + '\n';
    for (const JournalEntry &entry : entries)
        body += entry.name.toString().toUtf8() + ' ' + entry.sha256.toLatin1() + '\n';
    return body + kJournalTrailer.toString().toUtf8() + ' ' + crypto::sha256Hex(body).toLatin1() + '\n';
}

// Strict: exactly the header, one line per file of the set in any order, the checksum
// of everything before it. Anything else is a journal this protocol did not write whole.
Result<QList<JournalEntry>> parseJournal(const QByteArray &data)
{
    using R = Result<QList<JournalEntry>>;
    const qsizetype trailerAt = data.lastIndexOf("\n" + kJournalTrailer.toString().toUtf8() + ' ');
    if (trailerAt < 0 || !data.endsWith('\n'))
        return R::failure(QStringLiteral("no checksum line"));
    const QByteArray body = data.left(trailerAt + 1);
    const QByteArray checksum = data.mid(trailerAt + 1 + kJournalTrailer.size() + 1).chopped(1);
    if (checksum != crypto::sha256Hex(body).toLatin1())
        return R::failure(QStringLiteral("checksum mismatch"));
    QList<QByteArray> lines = body.chopped(1).split('\n');
    if (lines.isEmpty() || lines.takeFirst() != kJournalHeader.toString().toUtf8())
        return R::failure(QStringLiteral("unknown format"));
    QList<JournalEntry> entries;
    for (const QByteArray &line : lines) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() != 2 || fields.at(1).size() != 64)
            return R::failure(QStringLiteral("malformed line"));
        const auto spec = std::find_if(std::begin(kFiles), std::end(kFiles), [&](const FileSpec &candidate) {
            return candidate.name == QLatin1StringView(fields.at(0));
        });
        if (spec == std::end(kFiles))
            return R::failure(QStringLiteral("unknown file"));
        if (std::any_of(entries.cbegin(), entries.cend(), [&](const JournalEntry &e) { return e.name == spec->name; }))
            return R::failure(QStringLiteral("duplicate file"));
        entries.append({spec->name, QString::fromLatin1(fields.at(1))});
    }
    if (entries.size() != qsizetype(std::size(kFiles)))
        return R::failure(QStringLiteral("incomplete file list"));
    return entries;
}

bool hasLeftovers(const QString &directory)
{
    if (exists(journalPath(directory)) || exists(journalTemporaryPath(directory)))
        return true;
    return std::any_of(std::begin(kFiles), std::end(kFiles),
                       [&](const FileSpec &spec) { return exists(stagedPath(directory, spec.name)); });
}

// Roll back: what is staged never became current (or belongs to a journal we refuse).
void discardLeftovers(const QString &directory)
{
    for (const FileSpec &spec : kFiles)
        removeQuietly(stagedPath(directory, spec.name));
    removeQuietly(journalTemporaryPath(directory));
    removeQuietly(journalPath(directory));
}

// Digest of a file's content, empty if it cannot be read.
QString digestOf(const QString &path)
{
    const auto data = readFileLimited(path, kMaxFileBytes);
    return data.ok() ? crypto::sha256Hex(data.value()) : QString();
}

// Step 3 and 4 of the switch, for save() and for recovery. The caller holds the lock.
Status rollForward(const QString &directory)
{
    for (const FileSpec &spec : kFiles) {
        const QString staged = stagedPath(directory, spec.name);
        if (!exists(staged))
            continue; // renamed before an interruption
        if (Status renamed = renameFile(staged, finalPath(directory, spec.name)); !renamed)
            return renamed;
    }
    if (Status synced = syncDirectory(directory); !synced)
        return synced;
    // The journal goes only once the renames are durable; otherwise a power loss could
    // leave the old files without the record that would finish the switch.
    removeQuietly(journalPath(directory));
    return syncDirectory(directory);
}

// Completes or rolls back an interrupted switch. The caller holds the exclusive lock.
Status recoverLocked(const QString &directory)
{
    if (!hasLeftovers(directory))
        return {};
    removeQuietly(journalTemporaryPath(directory));
    const QString journal = journalPath(directory);
    if (!exists(journal)) {
        discardLeftovers(directory);
        qCInfo(lcDevice).noquote() << "event=credential_switch_rolled_back"
                                   << "directory=" + directory;
        return {};
    }

    const auto data = readFileLimited(journal, kMaxJournalBytes);
    QString refusal;
    QList<JournalEntry> entries;
    if (!data.ok()) {
        refusal = data.errorMessage();
    } else if (auto parsed = parseJournal(data.value()); !parsed.ok()) {
        refusal = parsed.errorMessage();
    } else {
        entries = std::move(parsed).value();
        for (const JournalEntry &entry : entries) {
            const QString staged = stagedPath(directory, entry.name);
            const QString actual = digestOf(exists(staged) ? staged : finalPath(directory, entry.name));
            if (actual != entry.sha256) {
                refusal = QStringLiteral("%1 does not match the journal").arg(entry.name);
                break;
            }
        }
    }
    if (!refusal.isEmpty()) {
        qCWarning(lcDevice).noquote() << "event=credential_switch_journal_discarded"
                                      << "directory=" + directory << "reason=" + refusal;
        discardLeftovers(directory);
        return {};
    }
    if (Status done = rollForward(directory); !done) {
        return Status::failure(QStringLiteral("cannot complete the interrupted credential switch in %1: %2")
                                   .arg(directory, done.errorMessage()));
    }
    qCInfo(lcDevice).noquote() << "event=credential_switch_rolled_forward"
                               << "directory=" + directory;
    return {};
}

QByteArray statToken(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
#if defined(__APPLE__)
    const auto &mtime = st.st_mtimespec;
#else
    const auto &mtime = st.st_mtim;
#endif
    return QByteArray::number(quint64(st.st_dev)) + ':' + QByteArray::number(quint64(st.st_ino)) + ':' +
           QByteArray::number(qint64(st.st_size)) + ':' + QByteArray::number(qint64(mtime.tv_sec)) + '.' +
           QByteArray::number(qint64(mtime.tv_nsec));
}

} // namespace

CredentialStore::CredentialStore(QString directory) : m_directory(std::move(directory))
{
    // Trailing separators would make "dir//client.key"; harmless, but messages read better.
    while (m_directory.size() > 1 && m_directory.endsWith(u'/'))
        m_directory.chop(1);
}

QString CredentialStore::keyPath() const
{
    return finalPath(m_directory, kKeyFile);
}

QString CredentialStore::certificatePath() const
{
    return finalPath(m_directory, kCertificateFile);
}

QString CredentialStore::caPath() const
{
    return finalPath(m_directory, kCaFile);
}

QString CredentialStore::enrollmentPath() const
{
    return finalPath(m_directory, kEnrollmentFile);
}

QString CredentialStore::defaultDirectory()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/imprint");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QLatin1String("/imprint/device");
}

bool CredentialStore::isEnrolled() const
{
    if (exists(keyPath()) && exists(certificatePath()) && exists(caPath()))
        return true;
    return exists(journalPath(m_directory));
}

Result<Credentials> CredentialStore::load() const
{
    using R = Result<Credentials>;
    if (!QFileInfo(m_directory).isDir())
        return R::failure(QStringLiteral("not enrolled: the store directory %1 does not exist").arg(m_directory));

    auto lock = DirectoryLock::acquire(m_directory, false);
    if (!lock.ok())
        return R(lock.error());
    if (hasLeftovers(m_directory)) {
        lock.value().release();
        lock = DirectoryLock::acquire(m_directory, true);
        if (!lock.ok())
            return R(lock.error());
        if (Status recovered = recoverLocked(m_directory); !recovered)
            return R(recovered.error());
    }

    QStringList missing;
    for (const QString &path : {keyPath(), certificatePath(), caPath()}) {
        if (!exists(path))
            missing.append(QFileInfo(path).fileName());
    }
    if (!missing.isEmpty()) {
        return R::failure(QStringLiteral("not enrolled: %1 %2 missing in %3")
                              .arg(missing.join(QLatin1String(", ")),
                                   missing.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"), m_directory));
    }
    if (!exists(enrollmentPath())) {
        return R::failure(QStringLiteral("%1 is missing in %2: the key and certificate are there but not the "
                                         "enrollment record; enroll again")
                              .arg(kEnrollmentFile, m_directory));
    }

    const auto keyPem = readFileLimited(keyPath(), kMaxFileBytes);
    const auto certificatePem = readFileLimited(certificatePath(), kMaxFileBytes);
    const auto caPem = readFileLimited(caPath(), kMaxFileBytes);
    const auto enrollmentJson = readFileLimited(enrollmentPath(), kMaxFileBytes);
    const QByteArray generation = generationToken();
    lock.value().release();
    for (const auto *read : {&keyPem, &certificatePem, &caPem, &enrollmentJson}) {
        if (!read->ok())
            return R(read->error());
    }

    auto fileError = [this](QLatin1StringView file, const QString &what, const QString &detail) {
        return R::failure(QStringLiteral("%1 in %2 %3: %4").arg(file, m_directory, what, detail));
    };
    auto key = crypto::PrivateKey::fromPem(keyPem.value());
    if (!key.ok())
        return fileError(kKeyFile, QStringLiteral("is not a usable private key"), key.errorMessage());
    auto certificate = crypto::Certificate::fromPem(certificatePem.value());
    if (!certificate.ok())
        return fileError(kCertificateFile, QStringLiteral("is not a valid certificate"), certificate.errorMessage());
    auto ca = crypto::Certificate::fromPem(caPem.value());
    if (!ca.ok())
        return fileError(kCaFile, QStringLiteral("is not a valid certificate"), ca.errorMessage());
    auto enrollment = protocol::decodeEnrollmentInfo(enrollmentJson.value());
    if (!enrollment.ok())
        return fileError(kEnrollmentFile, QStringLiteral("is not a valid enrollment record"),
                         enrollment.errorMessage());
    if (!certificate.value().matchesPrivateKey(key.value())) {
        return R::failure(QStringLiteral("%1 does not match %2 in %3: the private key is not the one the certificate "
                                         "was issued for (the files come from different enrollments); enroll again")
                              .arg(kKeyFile, kCertificateFile, m_directory));
    }

    Credentials credentials;
    credentials.key = std::move(key).value();
    credentials.certificate = std::move(certificate).value();
    credentials.ca = std::move(ca).value();
    credentials.certificatePem = certificatePem.value();
    credentials.caPem = caPem.value();
    credentials.enrollment = std::move(enrollment).value();
    credentials.generation = generation;
    return credentials;
}

Status CredentialStore::save(const crypto::PrivateKey &key, const QByteArray &certificatePem, const QByteArray &caPem,
                             const protocol::EnrollmentInfo &enrollment)
{
    // Everything is checked before the directory is touched: working credentials are
    // never replaced by a set that could not work.
    if (key.isNull())
        return Status::failure(QStringLiteral("cannot save the credentials: no private key"));
    const auto certificate = crypto::Certificate::fromPem(certificatePem);
    if (!certificate.ok())
        return Status::failure(QStringLiteral("cannot save the credentials: the certificate is not valid: %1")
                                   .arg(certificate.errorMessage()));
    const auto ca = crypto::Certificate::fromPem(caPem);
    if (!ca.ok())
        return Status::failure(
            QStringLiteral("cannot save the credentials: the CA certificate is not valid: %1").arg(ca.errorMessage()));
    if (!certificate.value().matchesPrivateKey(key))
        return Status::failure(
            QStringLiteral("cannot save the credentials: the certificate was not issued for this private key"));
    if (!certificate.value().isSignedBy(ca.value()))
        return Status::failure(
            QStringLiteral("cannot save the credentials: the certificate was not issued by the CA certificate"));
    if (enrollment.serverId.isEmpty() || enrollment.fingerprint.isEmpty())
        return Status::failure(
            QStringLiteral("cannot save the credentials: the enrollment record needs a server_id and a fingerprint"));

    const QByteArray contents[] = {caPem, protocol::encode(enrollment), key.toPem(), certificatePem};
    static_assert(std::size(contents) == std::size(kFiles));

    if (Status created = ensureDirectory(m_directory, 0700); !created)
        return created;
    auto lock = DirectoryLock::acquire(m_directory, true);
    if (!lock.ok())
        return Status(lock.error());
    if (Status recovered = recoverLocked(m_directory); !recovered)
        return recovered;

    auto notSaved = [this](const QString &reason) {
        discardLeftovers(m_directory);
        return Status::failure(
            QStringLiteral("cannot save the credentials in %1: %2; the previous credentials are unchanged")
                .arg(m_directory, reason));
    };

    // 1. Stage.
    QList<JournalEntry> entries;
    for (std::size_t i = 0; i < std::size(kFiles); ++i) {
        if (Status staged = writeFileDurably(stagedPath(m_directory, kFiles[i].name), contents[i], kFiles[i].mode);
            !staged)
            return notSaved(staged.errorMessage());
        entries.append({kFiles[i].name, crypto::sha256Hex(contents[i])});
    }

    // 2. Commit. writeFileAtomically() renames the journal into place and then syncs the
    // directory; if only that sync failed, the journal is in place and the switch counts as
    // committed (a reader now completes it), so go on rather than report a failure that a
    // later load() would contradict.
    if (Status committed = writeFileAtomically(journalPath(m_directory), buildJournal(entries), 0600); !committed) {
        if (!exists(journalPath(m_directory)))
            return notSaved(committed.errorMessage());
        qCWarning(lcDevice).noquote() << "event=credential_switch_commit_unsynced"
                                      << "directory=" + m_directory << "reason=" + committed.errorMessage();
    }

    // 3 and 4. From here on the new set is the current one whatever happens; a failure
    // only postpones the renames to the next load().
    if (Status done = rollForward(m_directory); !done) {
        qCWarning(lcDevice).noquote() << "event=credential_switch_incomplete"
                                      << "directory=" + m_directory << "reason=" + done.errorMessage()
                                      << "action=completed_on_next_load";
    }
    qCInfo(lcDevice).noquote() << "event=credentials_saved"
                               << "directory=" + m_directory << "server_id=" + enrollment.serverId
                               << "serial=" + certificate.value().serialHex();
    return {};
}

Status CredentialStore::remove()
{
    if (!QFileInfo(m_directory).isDir())
        return {};
    auto lock = DirectoryLock::acquire(m_directory, true);
    if (!lock.ok())
        return Status(lock.error());
    // A pending switch would otherwise bring the files back on the next load().
    if (Status recovered = recoverLocked(m_directory); !recovered)
        discardLeftovers(m_directory);

    // The certificate first: from then on the directory is not enrolled, whatever else a
    // crash leaves. Also the ".tmp" files the reference client's writes may have left.
    QStringList failures;
    for (QLatin1StringView name : {kCertificateFile, kKeyFile, kCaFile, kEnrollmentFile}) {
        for (const QString &path :
             {finalPath(m_directory, name), finalPath(m_directory, name) + QLatin1String(".tmp")}) {
            if (::unlink(QFile::encodeName(path).constData()) != 0 && errno != ENOENT)
                failures.append(QStringLiteral("%1: %2").arg(path, systemError(errno)));
        }
    }
    if (!failures.isEmpty())
        return Status::failure(
            QStringLiteral("cannot remove the credentials: %1").arg(failures.join(QLatin1String("; "))));
    if (Status synced = syncDirectory(m_directory); !synced)
        return synced;
    qCInfo(lcDevice).noquote() << "event=credentials_removed"
                               << "directory=" + m_directory;
    return {};
}

QByteArray CredentialStore::generationToken() const
{
    QByteArray token;
    bool any = false;
    for (const FileSpec &spec : kFiles) {
        const QByteArray part = statToken(finalPath(m_directory, spec.name));
        any = any || !part.isEmpty();
        token += spec.name.toString().toUtf8() + '=' + part + ';';
    }
    if (exists(journalPath(m_directory)))
        token += "switch;";
    return any ? token : QByteArray();
}

QDateTime CredentialStore::lastModified() const
{
    const QFileInfo info(certificatePath());
    return info.exists() ? info.lastModified().toUTC() : QDateTime();
}

} // namespace imprint::device
