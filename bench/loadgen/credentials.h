#pragma once

#include "common/result.h"
#include "crypto/certificate.h"
#include "crypto/privatekey.h"

#include <boost/asio/ssl/context.hpp>

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace imprint::bench {

// A fresh P-256 key and a PEM CSR for it, made before the clock starts.
struct KeyAndCsr {
    crypto::PrivateKey key;
    QByteArray csrPem;
};

// `count` pairs, generated on `threads` threads.
Result<std::vector<KeyAndCsr>> makeKeyPool(int count, int threads);

// Fingerprints unique within this run and across runs: "sha256:" + 32 random hex digits
// of the run + 32 hex digits of (stream, sequence). Cheap enough to make per request.
class FingerprintSource {
public:
    FingerprintSource(); // draws the run's random part
    QByteArray make(std::uint32_t stream, std::uint64_t sequence) const; // 71 bytes
private:
    QByteArray m_runHex;
};

// An enrolled device as the load generator drives it.
struct Device {
    QString serverId;
    QString fingerprint;
    crypto::PrivateKey key;           // the enrollment key
    crypto::Certificate certificate;  // the enrollment certificate
    std::shared_ptr<boost::asio::ssl::context> tls; // built once with the enrollment identity
    // After renewals: the current identity (key owned by the key pool); null until then.
    const crypto::PrivateKey *renewedKey = nullptr;
    crypto::Certificate renewedCertificate;
};

// Every certificate of the --ca-file PEM bundle (at most 1 MiB); the server must chain to one.
Result<QList<crypto::Certificate>> loadCaCertificates(const QString &path);

} // namespace imprint::bench
