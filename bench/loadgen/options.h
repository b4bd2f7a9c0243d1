#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace imprint::bench {

enum class Scenario { Enroll, DeviceKeepAlive, DeviceNewConnection, Renew };
enum class TlsVersion { Tls12, Tls13 };
enum class OutputFormat { Text, Json, Markdown };

QString scenarioName(Scenario scenario);
QString tlsVersionName(TlsVersion version);

// What one run of the load generator does, from the command line.
struct Options {
    QString url;
    QString caFile;
    QByteArray secret;
    Scenario scenario = Scenario::Enroll;
    int connections = 10;
    int threads = 0; // resolved to the number of cores by parseOptions
    std::chrono::milliseconds duration{std::chrono::seconds(10)};
    std::optional<qint64> requests; // measured requests; unbounded when empty
    std::chrono::milliseconds warmup{0};
    std::chrono::milliseconds timeout{std::chrono::seconds(10)};
    std::optional<qint64> serverPid;
    int devices = 0;  // device scenarios; resolved (default: connections)
    int csrPool = 0;  // enroll/renew: pre-made key+CSR pairs; resolved
    TlsVersion tls = TlsVersion::Tls13;
    bool resume = false;     // device-newconn: resume TLS sessions instead of full handshakes
    bool verifyHost = true;  // check the server certificate's name against the URL host
    OutputFormat format = OutputFormat::Text;
    bool help = false;
};

// Parses the arguments (without the program name). Values are checked and defaults
// resolved; a failure names the flag.
Result<Options> parseOptions(const QStringList &arguments);

QString usageText();

// "10s", "500ms", "1.5s", "2m". Used for --duration, --warmup and --timeout.
Result<std::chrono::milliseconds> parseBenchDuration(const QString &text);

} // namespace imprint::bench
