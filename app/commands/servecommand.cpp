#include "servecommand.h"

#include "authority/authority.h"
#include "authority/servercertificate.h"
#include "common/clock.h"
#include "common/duration.h"
#include "common/logging.h"
#include "commonoptions.h"
#include "console.h"
#include "service/httpsserver.h"
#include "service/registrypool.h"
#include "service/routes.h"
#include "service/tlscontext.h"
#include "storage/lastseenrecorder.h"

#include <QHostAddress>
#include <QThread>

#include <condition_variable>
#include <mutex>
#include <thread>

using namespace imprint;
using namespace std::chrono_literals;

namespace {

constexpr auto kLastSeenFlushInterval = 10s;
constexpr auto kServerCertificateCheckInterval = 1h;

struct ListenAddress {
    QString host;
    quint16 port = 0;
};

// HOST:PORT, [IPv6]:PORT or :PORT (all addresses).
std::optional<ListenAddress> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return std::nullopt;
    QString host = text.left(colon);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty())
        host = QStringLiteral("0.0.0.0");
    return ListenAddress{host, quint16(port)};
}

QString urlFor(const ListenAddress &listen, quint16 port, const QStringList &names)
{
    QString host = listen.host;
    const QHostAddress address(host);
    // Devices must reach the service under a name its certificate carries.
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6)
        host = names.value(names.size() > 3 ? 3 : 0);
    if (QHostAddress(host).protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("https://%1:%2").arg(host).arg(port);
}

// Flushes coalesced last-seen times and keeps the server certificate current, on its own
// thread with its own registry connection, until stopped.
class Maintenance {
public:
    Maintenance(storage::DatabaseUrl url, storage::LastSeenRecorder &recorder, service::HttpsServer &server,
                const authority::CertificateAuthority &ca, authority::ServerCertificatePolicy policy,
                const Clock &clock)
        : m_url(std::move(url)), m_recorder(recorder), m_server(server), m_ca(ca), m_policy(std::move(policy)),
          m_clock(clock), m_thread([this] { loop(); })
    {
    }

    ~Maintenance()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }

private:
    void loop()
    {
        std::unique_ptr<storage::Registry> registry;
        // Opened again after the database server dropped the connection, or when it was
        // not reachable at all: the last-seen times wait in the recorder until then.
        const auto usableRegistry = [&]() -> storage::Registry * {
            if (registry && !registry->connectionLost())
                return registry.get();
            registry.reset();
            auto opened = storage::Registry::open(m_url, QStringLiteral("maintenance"));
            if (!opened) {
                qCWarning(lcService).noquote() << "event=maintenance_unavailable detail=" + opened.errorMessage();
                return nullptr;
            }
            registry = std::move(opened).value();
            return registry.get();
        };
        usableRegistry();
        auto nextCertificateCheck = std::chrono::steady_clock::now() + kServerCertificateCheckInterval;
        std::unique_lock lock(m_mutex);
        for (;;) {
            const bool stopping = m_wake.wait_for(lock, kLastSeenFlushInterval, [this] { return m_stopping; });
            lock.unlock();
            if (storage::Registry *current = usableRegistry()) {
                if (Status flushed = m_recorder.flush(*current); !flushed)
                    qCWarning(lcService).noquote() << "event=last_seen_flush_failed detail=" + flushed.errorMessage();
            }
            if (!stopping && std::chrono::steady_clock::now() >= nextCertificateCheck) {
                renewServerCertificate();
                nextCertificateCheck = std::chrono::steady_clock::now() + kServerCertificateCheckInterval;
            }
            lock.lock();
            if (stopping)
                return;
        }
    }

    void renewServerCertificate()
    {
        auto current = crypto::Certificate::fromDer(m_server.tlsContext()->certificateDer());
        if (current && authority::serverCertificateIsCurrent(current.value(), m_ca, m_policy, m_clock.now()))
            return;
        auto credentials = authority::ensureServerCredentials(m_ca, m_policy, m_clock.now());
        if (!credentials) {
            qCWarning(lcService).noquote() << "event=server_certificate_renewal_failed detail="
                                                  + credentials.errorMessage();
            return;
        }
        auto tls = service::TlsContext::fromPem(credentials->certificateChainPem, credentials->privateKeyPem,
                                                m_ca.certificate().toPem());
        if (!tls) {
            qCWarning(lcService).noquote() << "event=server_certificate_renewal_failed detail=" + tls.errorMessage();
            return;
        }
        m_server.setTlsContext(tls.value());
        qCInfo(lcService).noquote() << "event=server_certificate_renewed serial=" + tls.value()->certificateSerial();
    }

    storage::DatabaseUrl m_url;
    storage::LastSeenRecorder &m_recorder;
    service::HttpsServer &m_server;
    const authority::CertificateAuthority &m_ca;
    authority::ServerCertificatePolicy m_policy;
    const Clock &m_clock;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace

ServeCommand::ServeCommand()
    : Command(QStringLiteral("serve"), QStringLiteral("Run the enrollment service."))
{
}

void ServeCommand::configure(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(QStringLiteral("listen"),
                                        QStringLiteral("Address and port to listen on (default: 127.0.0.1:8443)."),
                                        QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8443")));
    parser.addOption(commonoptions::caDirOption());
    parser.addOption(commonoptions::dbOption());
    parser.addOption(commonoptions::secretFileOption());
    parser.addOption(commonoptions::secretOption());
    parser.addOption(QCommandLineOption(QStringLiteral("org"),
                                        QStringLiteral("Organisation of a CA created on first start (default: "
                                                       "Imprint CA)."),
                                        QStringLiteral("NAME"),
                                        QString::fromLatin1(authority::CertificateAuthority::kDefaultOrganization)));
    parser.addOption(QCommandLineOption(QStringLiteral("validity"),
                                        QStringLiteral("Validity of issued device certificates (default: 365d)."),
                                        QStringLiteral("DURATION"), QStringLiteral("365d")));
    parser.addOption(QCommandLineOption(QStringLiteral("challenge-window"),
                                        QStringLiteral("How long after expiry a device may still renew with a "
                                                       "signed challenge (default: 30d)."),
                                        QStringLiteral("DURATION"), QStringLiteral("30d")));
    parser.addOption(QCommandLineOption(QStringLiteral("san"),
                                        QStringLiteral("A DNS name or IP address for the service's TLS certificate; "
                                                       "repeatable (default: localhost, 127.0.0.1, ::1 and the host "
                                                       "name)."),
                                        QStringLiteral("NAME")));
    parser.addOption(QCommandLineOption(QStringLiteral("threads"),
                                        QStringLiteral("Worker threads (default: number of cores)."),
                                        QStringLiteral("N"), QStringLiteral("0")));
    parser.addOption(QCommandLineOption(QStringLiteral("idle-timeout"),
                                        QStringLiteral("Close connections that send no complete request for this "
                                                       "long (default: 10s)."),
                                        QStringLiteral("DURATION"), QStringLiteral("10s")));
}

int ServeCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    const auto listen = parseListen(parser.value(QStringLiteral("listen")));
    if (!listen)
        return usageError(QStringLiteral("--listen must be HOST:PORT, e.g. 127.0.0.1:8443"));
    authority::AuthorityConfig config;
    auto secrets = commonoptions::buildSecrets(parser);
    if (!secrets)
        return failure(secrets.errorMessage());
    if (secrets.value().isEmpty())
        return usageError(QStringLiteral("no build secret: ") + QLatin1String(commonoptions::kBuildSecretHelp));
    config.buildSecrets = secrets.value();
    for (const auto &[option, target] : {std::pair{QStringLiteral("validity"), &config.validity},
                                         std::pair{QStringLiteral("challenge-window"), &config.challengeWindow}}) {
        auto parsed = parseDuration(parser.value(option));
        if (!parsed)
            return usageError(QStringLiteral("--%1: %2").arg(option, parsed.errorMessage()));
        *target = parsed.value();
    }
    auto idle = parseDuration(parser.value(QStringLiteral("idle-timeout")));
    if (!idle)
        return usageError(QStringLiteral("--idle-timeout: ") + idle.errorMessage());
    bool threadsOk = false;
    const int threads = parser.value(QStringLiteral("threads")).toInt(&threadsOk);
    if (!threadsOk || threads < 0 || threads > 256)
        return usageError(QStringLiteral("--threads must be a number from 1 to 256"));
    auto url = storage::parseDatabaseUrl(parser.value(QStringLiteral("db")));
    if (!url)
        return usageError(QStringLiteral("--db: ") + url.errorMessage());

    const Clock &clock = processClock();
    auto ca = authority::CertificateAuthority::loadOrCreate(parser.value(QStringLiteral("ca-dir")),
                                                            parser.value(QStringLiteral("org")), clock.now());
    if (!ca)
        return failure(ca.errorMessage());
    // Opening once here creates and migrates the database before any request arrives.
    auto registry = storage::Registry::open(url.value(), QStringLiteral("serve"));
    if (!registry)
        return failure(registry.errorMessage());
    registry.value().reset();

    authority::ServerCertificatePolicy policy;
    policy.names = parser.isSet(QStringLiteral("san")) ? parser.values(QStringLiteral("san"))
                                                       : authority::defaultServerNames();
    auto credentials = authority::ensureServerCredentials(*ca.value(), policy, clock.now());
    if (!credentials)
        return failure(credentials.errorMessage());
    auto tls = service::TlsContext::fromPem(credentials->certificateChainPem, credentials->privateKeyPem,
                                            ca.value()->certificate().toPem());
    if (!tls)
        return failure(tls.errorMessage());

    storage::LastSeenRecorder lastSeen;
    const authority::Authority authority(ca.value(), config, clock, &lastSeen);
    service::RegistryPool registries(url.value());
    const service::Routes routes(authority, registries);

    service::HttpsServerConfig serverConfig;
    serverConfig.host = listen->host;
    serverConfig.port = listen->port;
    serverConfig.threads = threads;
    serverConfig.idleTimeout = idle.value();
    serverConfig.threadFinished = [&registries] { registries.releaseCurrentThread(); };
    service::HttpsServer server(serverConfig, tls.value(),
                                [&routes](const service::HttpRequest &request) { return routes.handle(request); });
    server.catchSignals(); // before anyone is told the service is up
    if (Status started = server.start(); !started)
        return failure(started.errorMessage());

    const QString serviceUrl = urlFor(*listen, server.port(), policy.names);
    console::out(QStringLiteral("Imprint enrollment service\n"
                                "  listening on  %1\n"
                                "  CA            %2\n"
                                "  CA pin        %3\n"
                                "  registry      %4\n"
                                "\n"
                                "Enroll a device with:\n"
                                "  imprint enroll --url %1 --ca-pin %3 --secret-file FILE\n"
                                "\n")
                     .arg(serviceUrl, ca.value()->directory(), ca.value()->pin(), url->display()));

    {
        Maintenance maintenance(url.value(), lastSeen, server, *ca.value(), policy, clock);
        server.runUntilSignalled();
    } // the maintenance thread flushes the last-seen times once more as it stops
    qCInfo(lcService).noquote() << "event=service_stopped";
    return ExitOk;
}
