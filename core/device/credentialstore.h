#pragma once

#include "common/result.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"
#include "protocol/messages.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <chrono>

namespace imprint::device {

// The credentials of an enrolled device, loaded as one consistent set: the key is the one
// the certificate was issued for (checked on load).
struct Credentials {
    crypto::PrivateKey key;
    crypto::Certificate certificate;
    crypto::Certificate ca;
    QByteArray certificatePem; // client.crt exactly as stored
    QByteArray caPem;          // ca.crt exactly as stored
    protocol::EnrollmentInfo enrollment;
    QByteArray generation; // CredentialStore::generationToken() of the set read
};

// The device's store directory of PROTOCOL.md section 5:
//
//   <directory>/      0700
//     client.key      0600  SEC1 "EC PRIVATE KEY" (PKCS#8 also read)
//     client.crt      0644  PEM certificate
//     ca.crt          0644  PEM CA certificate
//     enrollment.json 0644  {"server_id", "fingerprint"}, indented
//
// The four files keep their standard names so that the Go reference client reads a
// directory we wrote, and we read one it wrote. Beyond the reference, save() switches
// the four files as one set: a crash or failed write at any step leaves a directory that
// load() presents as the complete old set or the complete new one (protocol in the .cpp).
// Writers in different processes are serialised with flock(2) on the directory itself;
// whole operations (read, ask the service, save) take turns with OperationLock.
//
// All methods are safe to call from several threads and processes at once; load() and
// remove() may complete or roll back a switch another process left unfinished.
class CredentialStore {
public:
    static constexpr QLatin1StringView kKeyFile{"client.key"};
    static constexpr QLatin1StringView kCertificateFile{"client.crt"};
    static constexpr QLatin1StringView kCaFile{"ca.crt"};
    static constexpr QLatin1StringView kEnrollmentFile{"enrollment.json"};

    explicit CredentialStore(QString directory);

    QString directory() const { return m_directory; }
    QString keyPath() const;
    QString certificatePath() const;
    QString caPath() const;
    QString enrollmentPath() const;

    // /var/lib/imprint when running as root, else <GenericDataLocation>/imprint/device.
    static QString defaultDirectory();

    // The key, certificate and CA files all exist (the reference's definition), or a
    // committed switch is waiting to be completed by load().
    bool isEnrolled() const;

    // Completes or rolls back an interrupted switch, then reads, parses and cross-checks
    // the four files. Errors name the directory and the file at fault.
    Result<Credentials> load() const;

    // Replaces the whole set atomically (see the class comment). Refuses, without touching
    // the directory, a key that does not match the certificate, a certificate not issued
    // by the CA, or an incomplete enrollment. Creates the directory (0700) when needed.
    // Once this returns success, every load() sees the new set; on failure it sees the old.
    Status save(const crypto::PrivateKey &key, const QByteArray &certificatePem, const QByteArray &caPem,
                const protocol::EnrollmentInfo &enrollment);

    // Deletes the credentials (the certificate first, so that a crash midway leaves a
    // directory that is simply not enrolled). The directory itself stays.
    Status remove();

    // Changes whenever the credential files are replaced (inode, size and modification
    // time of each file, plus a pending switch): a long-running process compares it with
    // Credentials::generation to notice that another process renewed. Cheap (a few
    // stat calls, no reading). Empty when nothing is stored.
    QByteArray generationToken() const;

    // Modification time of client.crt (UTC); invalid when there is none.
    QDateTime lastModified() const;

    // How long load(), save() and remove() wait for another process's switch.
    static constexpr std::chrono::milliseconds kLockTimeout{10000};

private:
    QString m_directory;
};

} // namespace imprint::device
