#include "credentials.h"

#include "crypto/csr.h"
#include "crypto/random.h"

#include <QFile>

#include <atomic>
#include <mutex>
#include <thread>

namespace imprint::bench {

Result<std::vector<KeyAndCsr>> makeKeyPool(int count, int threads)
{
    using R = Result<std::vector<KeyAndCsr>>;
    std::vector<KeyAndCsr> pool(std::size_t(std::max(count, 0)));
    std::atomic<std::size_t> next{0};
    std::mutex errorMutex;
    QString firstError;

    auto work = [&] {
        for (std::size_t i = next++; i < pool.size(); i = next++) {
            auto key = crypto::PrivateKey::generateP256();
            if (!key) {
                std::lock_guard lock(errorMutex);
                firstError = key.errorMessage();
                return;
            }
            // The server ignores the CSR subject; any CN will do.
            auto csr = crypto::createCsr(*key, QStringLiteral("imprint-loadgen"));
            if (!csr) {
                std::lock_guard lock(errorMutex);
                firstError = csr.errorMessage();
                return;
            }
            pool[i] = KeyAndCsr{std::move(key).value(), std::move(csr).value()};
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < std::max(threads, 1); ++t)
        workers.emplace_back(work);
    work();
    for (auto &w : workers)
        w.join();
    if (!firstError.isEmpty())
        return R::failure(QStringLiteral("cannot prepare keys and CSRs: %1").arg(firstError));
    return pool;
}

FingerprintSource::FingerprintSource()
{
    auto random = crypto::randomBytes(16);
    m_runHex = random ? random->toHex() : QByteArray(32, '0');
}

QByteArray FingerprintSource::make(std::uint32_t stream, std::uint64_t sequence) const
{
    QByteArray out;
    out.reserve(71);
    out += "sha256:";
    out += m_runHex;
    out += QByteArray::number(stream, 16).rightJustified(8, '0');
    out += QByteArray::number(qulonglong(sequence), 16).rightJustified(24, '0');
    return out;
}

Result<QList<crypto::Certificate>> loadCaCertificates(const QString &path)
{
    using R = Result<QList<crypto::Certificate>>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read --ca-file %1: %2").arg(path, file.errorString()));
    auto certificates = crypto::Certificate::chainFromPem(file.read(1024 * 1024 + 1));
    if (!certificates)
        return R::failure(QStringLiteral("--ca-file %1: %2").arg(path, certificates.errorMessage()));
    return certificates;
}

} // namespace imprint::bench
