#include "scenarios.h"

#include "connection.h"
#include "crypto/certificate.h"
#include "iothreads.h"
#include "protocol/codec.h"
#include "protocol/endpoints.h"
#include "protocol/messages.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstring>

namespace imprint::bench {

namespace asio = boost::asio;

namespace {

constexpr char kPlaceholderFingerprint[] =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";
// Literals, so data() is NUL-terminated.
const char *const kEnrollPath = protocol::kEnrollPath.data();
const char *const kRenewPath = protocol::kRenewPath.data();
const char *const kDevicePath = protocol::kDevicePath.data();

} // namespace

PreparedBody prepareEnrollBody(const QByteArray &secret, const QByteArray &csrPem, const QString &hostname)
{
    protocol::EnrollRequest request;
    request.buildSecret = QString::fromUtf8(secret);
    request.fingerprint = QLatin1String(kPlaceholderFingerprint);
    request.hostname = hostname;
    request.os = QStringLiteral("linux");
    request.arch = QStringLiteral("amd64");
    request.csr = QString::fromUtf8(csrPem);
    PreparedBody body;
    body.json = protocol::encode(request).toStdString();
    const std::string field = std::string("\"fingerprint\":\"") + kPlaceholderFingerprint;
    const auto at = body.json.find(field);
    body.fingerprintHexOffset = at == std::string::npos ? std::string::npos : at + field.size() - 64;
    return body;
}

PreparedBody prepareRenewBody(const QByteArray &csrPem)
{
    return PreparedBody{protocol::encode(protocol::RenewRequest{QString::fromUtf8(csrPem)}).toStdString(), 0};
}

void setFingerprint(std::string &body, std::size_t offset, const QByteArray &fingerprint)
{
    if (offset != std::string::npos && fingerprint.size() == 71 && offset + 64 <= body.size())
        std::memcpy(body.data() + offset, fingerprint.constData() + 7, 64);
}

std::vector<int> devicesOfConnection(int index, int connections, int devices)
{
    std::vector<int> mine;
    if (devices < connections) {
        mine.push_back(index % devices);
        return mine;
    }
    for (int d = index; d < devices; d += connections)
        mine.push_back(d);
    return mine;
}

namespace {

bool keepsConnection(Scenario s)
{
    return s == Scenario::Enroll || s == Scenario::DeviceKeepAlive;
}

// Pauses a connection whose server refused it, so a dead server does not turn the load
// generator into a busy loop. Never inside a measured latency.
asio::awaitable<void> backOff(asio::io_context &io)
{
    asio::steady_timer timer(io, std::chrono::milliseconds(20));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// The new identity in a renew answer, checked against the key whose CSR was sent.
Result<crypto::Certificate> renewedCertificate(const std::string &body, const crypto::PrivateKey &key)
{
    auto response = protocol::decodeEnrollResponse(QByteArrayView(body.data(), qsizetype(body.size())));
    if (!response)
        return Result<crypto::Certificate>::failure(response.errorMessage());
    auto certificate = crypto::Certificate::fromPem(response->certificate.toUtf8());
    if (!certificate)
        return certificate;
    if (!certificate->matchesPrivateKey(key))
        return Result<crypto::Certificate>::failure(QStringLiteral("certificate is not for the CSR's key"));
    return certificate;
}

} // namespace

asio::awaitable<void> runConnection(ScenarioContext &ctx, int index, Recorder &recorder)
{
    const Options &o = ctx.options;
    const int thread = index % ctx.threads.size();
    asio::io_context &io = ctx.threads.context(thread);
    Connection connection(io, ctx.target, o.verifyHost);
    const bool keepAlive = keepsConnection(o.scenario);
    const bool enroll = o.scenario == Scenario::Enroll;
    const std::vector<int> mine = enroll ? std::vector<int>{} : devicesOfConnection(index, o.connections, o.devices);
    std::size_t turn = 0;
    std::uint64_t sequence = 0;
    SSL_SESSION *session = nullptr;

    auto tlsFor = [&](int device) -> asio::ssl::context & {
        return enroll ? *ctx.anonymousTls : *ctx.devices[std::size_t(device)].tls;
    };

    if (keepAlive) {
        // Connected before the clock starts: a keep-alive run measures requests, not the
        // first handshake. A failure here is retried inside the loop.
        const int device = enroll ? -1 : mine.front();
        Outcome ignored = co_await connection.open(tlsFor(device), Clock::now() + o.timeout);
        (void)ignored;
    }
    ctx.control.connectionReady();
    co_await ctx.threads.waitForStart(thread);

    for (;;) {
        const RunControl::Ticket ticket = ctx.control.next();
        if (ticket == RunControl::Ticket::Stop)
            break;
        const bool measured = ticket == RunControl::Ticket::Measured;
        const int device = enroll ? -1 : mine[turn++ % mine.size()];

        Request request;
        std::size_t poolIndex = 0;
        switch (o.scenario) {
        case Scenario::Enroll: {
            poolIndex = ctx.poolNext++ % ctx.bodies.size();
            const PreparedBody &prepared = ctx.bodies[poolIndex];
            request.post = true;
            request.endpoint = kEnrollPath;
            request.body = prepared.json;
            setFingerprint(request.body, prepared.fingerprintHexOffset,
                           ctx.fingerprints.make(std::uint32_t(index), sequence++));
            break;
        }
        case Scenario::DeviceKeepAlive:
            request.endpoint = kDevicePath;
            break;
        case Scenario::DeviceNewConnection:
            request.endpoint = kDevicePath;
            request.closeAfter = true;
            break;
        case Scenario::Renew:
            poolIndex = ctx.poolNext++ % ctx.bodies.size();
            request.post = true;
            request.endpoint = kRenewPath;
            request.body = ctx.bodies[poolIndex].json;
            request.closeAfter = true;
            break;
        }

        const Clock::time_point start = Clock::now();
        const Clock::time_point deadline = start + o.timeout;
        if (!keepAlive || !connection.isOpen()) {
            const Device *dev = enroll ? nullptr : &ctx.devices[std::size_t(device)];
            const bool renewed = dev && dev->renewedKey;
            Outcome opened = co_await connection.open(tlsFor(device), deadline, renewed ? dev->renewedKey : nullptr,
                                                      renewed ? &dev->renewedCertificate : nullptr, session);
            if (session) {
                SSL_SESSION_free(session);
                session = nullptr;
            }
            if (measured) {
                ++recorder.connectionsOpened;
                if (opened.ok() && connection.sessionReused())
                    ++recorder.sessionsResumed;
            }
            if (!opened.ok()) {
                if (measured)
                    recorder.failure(opened.error, Clock::now());
                co_await backOff(io);
                continue;
            }
        }

        Outcome outcome = co_await connection.exchange(request, deadline);
        const Clock::time_point end = Clock::now();

        if (outcome.ok() && o.scenario == Scenario::Renew) {
            // The old certificate is superseded now: the next renewal must present this one.
            Device &dev = ctx.devices[std::size_t(device)];
            const crypto::PrivateKey &key = ctx.pool[poolIndex].key;
            auto certificate = renewedCertificate(outcome.body, key);
            if (certificate) {
                dev.renewedKey = &key;
                dev.renewedCertificate = std::move(certificate).value();
            } else {
                outcome.error = "protocol: bad renew answer: " + certificate.errorMessage().toStdString();
            }
        } else if (outcome.ok() && enroll && outcome.body.find("\"certificate\"") == std::string::npos) {
            outcome.error = "protocol: enroll answer without a certificate";
        }

        if (measured) {
            if (outcome.ok())
                recorder.success(end - start, end);
            else
                recorder.failure(outcome.error, end);
        }
        if (o.resume && connection.isOpen())
            session = connection.takeSession();
        if (!keepAlive)
            co_await connection.shutdown();
    }

    if (session)
        SSL_SESSION_free(session);
    co_await connection.shutdown();
    ctx.control.connectionFinished();
}

} // namespace imprint::bench
