#include "options.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace imprint::bench {

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Enroll:
        return QStringLiteral("enroll");
    case Scenario::DeviceKeepAlive:
        return QStringLiteral("device-keepalive");
    case Scenario::DeviceNewConnection:
        return QStringLiteral("device-newconn");
    case Scenario::Renew:
        return QStringLiteral("renew");
    }
    return {};
}

QString tlsVersionName(TlsVersion version)
{
    return version == TlsVersion::Tls12 ? QStringLiteral("TLS 1.2") : QStringLiteral("TLS 1.3");
}

QString usageText()
{
    return QStringLiteral(
        "Usage: imprint-loadgen --url https://127.0.0.1:PORT --ca-file CA.crt (--secret S | --secret-file F)\n"
        "                       --scenario enroll|device-keepalive|device-newconn|renew [options]\n"
        "\n"
        "Drives an Imprint-compatible enrollment service (ours or the Go reference) with closed-loop\n"
        "connections and reports throughput, latency and, with --server-pid, the server's CPU and\n"
        "memory. Only loopback targets are accepted (127.0.0.0/8, ::1, localhost).\n"
        "\n"
        "Options:\n"
        "  --url URL            https URL of the service (path prefix allowed)\n"
        "  --ca-file FILE       PEM CA certificate the server certificate must chain to\n"
        "  --secret S           build secret used for enrollment\n"
        "  --secret-file FILE   read the build secret from FILE (trailing newline dropped)\n"
        "  --scenario NAME      enroll | device-keepalive | device-newconn | renew\n"
        "  --connections N      concurrent closed-loop connections (default 10)\n"
        "  --threads N          io threads, one io_context each (default: number of cores)\n"
        "  --duration D         measured time, e.g. 10s, 500ms, 2m (default 10s)\n"
        "  --requests N         stop after N measured requests (whichever comes first)\n"
        "  --warmup D           unmeasured load before the window (default 0s)\n"
        "  --timeout D          per-request timeout, counted as an error (default 10s)\n"
        "  --devices N          devices enrolled before the clock (default: connections)\n"
        "  --csr-pool N         key+CSR pairs made before the clock for enroll/renew\n"
        "                       (default: --requests plus margin, at most 1000; reused when exhausted)\n"
        "  --server-pid PID     sample the server's CPU time and memory from /proc\n"
        "  --tls 1.2|1.3        protocol version to offer (default 1.3)\n"
        "  --resume             device-newconn: resume TLS sessions (default: full handshakes)\n"
        "  --no-verify-host     do not check the server certificate's name (chain still checked)\n"
        "  --json               print one JSON object\n"
        "  --markdown           print one Markdown table row (see docs/BENCHMARKS.md)\n"
        "  --markdown-header    (alone) print the head of that table\n"
        "  --help               this text\n");
}

Result<std::chrono::milliseconds> parseBenchDuration(const QString &text)
{
    const QString t = text.trimmed();
    double factor = 0;
    QString number;
    if (t.endsWith(QLatin1String("ms"))) {
        factor = 1;
        number = t.chopped(2);
    } else if (t.endsWith(QLatin1Char('s'))) {
        factor = 1000;
        number = t.chopped(1);
    } else if (t.endsWith(QLatin1Char('m'))) {
        factor = 60000;
        number = t.chopped(1);
    } else {
        return Result<std::chrono::milliseconds>::failure(
            QStringLiteral("duration \"%1\" needs a unit: ms, s or m (e.g. 10s)").arg(text));
    }
    bool ok = false;
    const double value = number.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value * factor > 24.0 * 3600 * 1000)
        return Result<std::chrono::milliseconds>::failure(QStringLiteral("duration \"%1\" is not valid").arg(text));
    return std::chrono::milliseconds(std::llround(value * factor));
}

namespace {

Result<qint64> positiveNumber(const QString &flag, const QString &text, qint64 max)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value <= 0 || value > max)
        return Result<qint64>::failure(QStringLiteral("%1 needs a number from 1 to %2, got \"%3\"").arg(flag).arg(max).arg(text));
    return value;
}

Result<QByteArray> readSecretFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QByteArray>::failure(QStringLiteral("cannot read --secret-file %1: %2").arg(path, file.errorString()));
    QByteArray secret = file.read(64 * 1024);
    while (secret.endsWith('\n') || secret.endsWith('\r'))
        secret.chop(1);
    return secret;
}

} // namespace

Result<Options> parseOptions(const QStringList &arguments)
{
    using R = Result<Options>;
    Options o;
    bool devicesGiven = false;
    bool poolGiven = false;
    std::optional<QString> secretFile;

    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString flag = arguments.at(i);
        std::optional<QString> inlineValue;
        if (flag.startsWith(QLatin1String("--")) && flag.contains(QLatin1Char('='))) {
            const qsizetype eq = flag.indexOf(QLatin1Char('='));
            inlineValue = flag.mid(eq + 1);
            flag = flag.left(eq);
        }
        auto value = [&]() -> std::optional<QString> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments.at(++i);
        };
        auto isSwitch = [&](QLatin1StringView name) { return flag == name && !inlineValue; };

        if (isSwitch(QLatin1String("--help")) || isSwitch(QLatin1String("-h"))) {
            o.help = true;
            return o;
        }
        if (isSwitch(QLatin1String("--json"))) {
            o.format = OutputFormat::Json;
            continue;
        }
        if (isSwitch(QLatin1String("--markdown"))) {
            o.format = OutputFormat::Markdown;
            continue;
        }
        if (isSwitch(QLatin1String("--resume"))) {
            o.resume = true;
            continue;
        }
        if (isSwitch(QLatin1String("--no-verify-host"))) {
            o.verifyHost = false;
            continue;
        }

        static const QStringList withValue = {
            QStringLiteral("--url"), QStringLiteral("--ca-file"), QStringLiteral("--secret"),
            QStringLiteral("--secret-file"), QStringLiteral("--scenario"), QStringLiteral("--connections"),
            QStringLiteral("--threads"), QStringLiteral("--duration"), QStringLiteral("--requests"),
            QStringLiteral("--warmup"), QStringLiteral("--timeout"), QStringLiteral("--devices"),
            QStringLiteral("--csr-pool"), QStringLiteral("--server-pid"), QStringLiteral("--tls")};
        if (!withValue.contains(flag))
            return R::failure(QStringLiteral("unknown argument \"%1\" (see --help)").arg(arguments.at(i)));
        const std::optional<QString> v = value();
        if (!v)
            return R::failure(QStringLiteral("%1 needs a value").arg(flag));

        if (flag == QLatin1String("--url")) {
            o.url = *v;
        } else if (flag == QLatin1String("--ca-file")) {
            o.caFile = *v;
        } else if (flag == QLatin1String("--secret")) {
            o.secret = v->toUtf8();
        } else if (flag == QLatin1String("--secret-file")) {
            secretFile = *v;
        } else if (flag == QLatin1String("--scenario")) {
            if (*v == QLatin1String("enroll"))
                o.scenario = Scenario::Enroll;
            else if (*v == QLatin1String("device-keepalive"))
                o.scenario = Scenario::DeviceKeepAlive;
            else if (*v == QLatin1String("device-newconn"))
                o.scenario = Scenario::DeviceNewConnection;
            else if (*v == QLatin1String("renew"))
                o.scenario = Scenario::Renew;
            else
                return R::failure(QStringLiteral("--scenario must be enroll, device-keepalive, device-newconn or renew, got \"%1\"").arg(*v));
        } else if (flag == QLatin1String("--tls")) {
            if (*v == QLatin1String("1.2"))
                o.tls = TlsVersion::Tls12;
            else if (*v == QLatin1String("1.3"))
                o.tls = TlsVersion::Tls13;
            else
                return R::failure(QStringLiteral("--tls must be 1.2 or 1.3, got \"%1\"").arg(*v));
        } else if (flag == QLatin1String("--duration") || flag == QLatin1String("--warmup")
                   || flag == QLatin1String("--timeout")) {
            auto d = parseBenchDuration(*v);
            if (!d)
                return R::failure(QStringLiteral("%1: %2").arg(flag, d.errorMessage()));
            if (flag == QLatin1String("--duration"))
                o.duration = *d;
            else if (flag == QLatin1String("--warmup"))
                o.warmup = *d;
            else
                o.timeout = *d;
        } else {
            const qint64 max = flag == QLatin1String("--server-pid") || flag == QLatin1String("--requests")
                                   ? std::numeric_limits<qint32>::max()
                                   : 100000;
            auto n = positiveNumber(flag, *v, max);
            if (!n)
                return R::failure(n.errorMessage());
            if (flag == QLatin1String("--connections")) {
                o.connections = int(*n);
            } else if (flag == QLatin1String("--threads")) {
                o.threads = int(*n);
            } else if (flag == QLatin1String("--requests")) {
                o.requests = *n;
            } else if (flag == QLatin1String("--devices")) {
                o.devices = int(*n);
                devicesGiven = true;
            } else if (flag == QLatin1String("--csr-pool")) {
                o.csrPool = int(*n);
                poolGiven = true;
            } else if (flag == QLatin1String("--server-pid")) {
                o.serverPid = *n;
            }
        }
    }

    if (o.url.isEmpty())
        return R::failure(QStringLiteral("--url is required"));
    if (o.caFile.isEmpty())
        return R::failure(QStringLiteral("--ca-file is required"));
    if (secretFile) {
        if (!o.secret.isEmpty())
            return R::failure(QStringLiteral("give either --secret or --secret-file, not both"));
        auto s = readSecretFile(*secretFile);
        if (!s)
            return R::failure(s.errorMessage());
        o.secret = *s;
    }
    if (o.secret.isEmpty())
        return R::failure(QStringLiteral("--secret or --secret-file is required (the build secret enrollment uses)"));
    if (o.duration.count() <= 0)
        return R::failure(QStringLiteral("--duration must be positive"));
    if (o.timeout.count() <= 0)
        return R::failure(QStringLiteral("--timeout must be positive"));
    if (o.threads == 0)
        o.threads = int(std::max(1u, std::thread::hardware_concurrency()));
    o.threads = std::min(o.threads, o.connections);
    if (!devicesGiven)
        o.devices = o.connections;
    if (o.scenario == Scenario::Renew && o.devices < o.connections) {
        // Two connections renewing one device would supersede each other's certificate.
        return R::failure(QStringLiteral("renew needs at least one device per connection (--devices %1 < --connections %2)")
                              .arg(o.devices)
                              .arg(o.connections));
    }
    if (!poolGiven) {
        // Making a pair costs ~0.7 ms of CPU (OpenSSL 3.0); past the pool, pairs are reused.
        const qint64 wanted = o.requests ? *o.requests + o.connections : 1000;
        o.csrPool = int(std::max<qint64>(o.connections, std::min<qint64>(wanted, 1000)));
    }
    if (o.resume && o.scenario != Scenario::DeviceNewConnection)
        return R::failure(QStringLiteral("--resume only applies to --scenario device-newconn"));
    return o;
}

} // namespace imprint::bench
