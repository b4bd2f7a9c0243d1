#include "preparation.h"

#include "connection.h"
#include "iothreads.h"
#include "protocol/codec.h"
#include "protocol/endpoints.h"
#include "scenarios.h"
#include "tlsconfig.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <atomic>
#include <mutex>

namespace imprint::bench {

namespace asio = boost::asio;

namespace {

struct EnrollJob {
    const Options &options;
    const Target &target;
    asio::ssl::context &tls;
    std::vector<KeyAndCsr> &keys;
    std::vector<Device> &devices;
    FingerprintSource fingerprints;
    std::atomic<std::size_t> next{0};
    std::mutex errorMutex;
    QString firstError;

    void fail(const QString &message)
    {
        std::lock_guard lock(errorMutex);
        if (firstError.isEmpty())
            firstError = message;
    }
    bool failed()
    {
        std::lock_guard lock(errorMutex);
        return !firstError.isEmpty();
    }
};

QString describe(const Outcome &outcome)
{
    QString text = QString::fromStdString(outcome.error);
    const QString detail = protocol::describeErrorBody(QByteArrayView(outcome.body.data(), qsizetype(outcome.body.size())));
    if (!detail.isEmpty())
        text += QStringLiteral(" (%1)").arg(detail);
    return text;
}

asio::awaitable<void> enrollWorker(EnrollJob &job, asio::io_context &io)
{
    Connection connection(io, job.target, job.options.verifyHost);
    for (std::size_t i = job.next++; i < job.devices.size() && !job.failed(); i = job.next++) {
        Device &device = job.devices[i];
        device.fingerprint = QString::fromLatin1(job.fingerprints.make(0xffffffffu, i));
        PreparedBody prepared = prepareEnrollBody(job.options.secret, job.keys[i].csrPem,
                                                  QStringLiteral("loadgen-device-%1").arg(i));
        setFingerprint(prepared.json, prepared.fingerprintHexOffset, device.fingerprint.toLatin1());

        const Clock::time_point deadline = Clock::now() + job.options.timeout;
        const Request request{true, protocol::kEnrollPath.data(), prepared.json, false};
        Outcome outcome;
        // One retry on a fresh connection: the server may close an idle keep-alive one.
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!connection.isOpen()) {
                Outcome opened = co_await connection.open(job.tls, deadline);
                outcome = std::move(opened);
                if (!outcome.ok())
                    continue;
            }
            Outcome answered = co_await connection.exchange(request, deadline);
            outcome = std::move(answered);
            if (outcome.ok() || outcome.status != 0)
                break;
        }
        if (!outcome.ok()) {
            job.fail(QStringLiteral("enrolling device %1 failed: %2").arg(i).arg(describe(outcome)));
            break;
        }
        auto response = protocol::decodeEnrollResponse(QByteArrayView(outcome.body.data(), qsizetype(outcome.body.size())));
        if (!response) {
            job.fail(QStringLiteral("enrolling device %1: bad answer: %2").arg(i).arg(response.errorMessage()));
            break;
        }
        auto certificate = crypto::Certificate::fromPem(response->certificate.toUtf8());
        if (!certificate || !certificate->matchesPrivateKey(job.keys[i].key)) {
            job.fail(QStringLiteral("enrolling device %1: the answer's certificate is unusable%2")
                         .arg(i)
                         .arg(certificate ? QString() : QStringLiteral(": ") + certificate.errorMessage()));
            break;
        }
        device.serverId = response->serverId;
        device.key = std::move(job.keys[i].key);
        device.certificate = std::move(certificate).value();
    }
    co_await connection.shutdown();
}

} // namespace

Result<std::vector<Device>> enrollDevices(const Options &options, const Target &target, const QList<crypto::Certificate> &cas,
                                          const std::shared_ptr<asio::ssl::context> &anonymousTls)
{
    using R = Result<std::vector<Device>>;
    auto keys = makeKeyPool(options.devices, options.threads);
    if (!keys)
        return R::failure(keys.errorMessage());

    std::vector<Device> devices(std::size_t(options.devices));
    EnrollJob job{options, target, *anonymousTls, *keys, devices, {}, {}, {}, {}};
    {
        IoThreads threads(options.threads);
        const int workers = std::min(options.connections, options.devices);
        for (int w = 0; w < workers; ++w) {
            asio::io_context &io = threads.context(w % threads.size());
            asio::co_spawn(io, enrollWorker(job, io), [](std::exception_ptr e) {
                if (e)
                    std::rethrow_exception(e);
            });
        }
        threads.start();
        threads.join();
    }
    if (!job.firstError.isEmpty())
        return R::failure(job.firstError);

    for (auto &device : devices) {
        auto tls = makeClientContext(cas, options.tls, options.resume, &device.key, &device.certificate);
        if (!tls)
            return R::failure(tls.errorMessage());
        device.tls = std::move(tls).value();
    }
    return devices;
}

} // namespace imprint::bench
