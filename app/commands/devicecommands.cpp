#include "devicecommands.h"

#include "common/clock.h"
#include "common/duration.h"
#include "common/logging.h"
#include "commonoptions.h"
#include "console.h"
#include "device/autorenewer.h"
#include "device/credentialstore.h"
#include "device/enrollment.h"
#include "device/inspection.h"
#include "device/mtlssession.h"
#include "device/renewalpolicy.h"
#include "device/runtocompletion.h"
#include "deviceoptions.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace imprint;
using commonoptions::timeJson;
using commonoptions::timeText;

namespace {

using device::runToCompletion;

QString errorText(const device::DeviceError &error)
{
    QString text = error.message;
    switch (error.kind) {
    case device::DeviceError::Kind::PinMismatch:
        text += QStringLiteral("\n  expected pin: %1\n  found pin:    %2\n"
                               "Check the pin with the operator ('imprint ca show' on the service).")
                    .arg(error.expectedPin, error.foundPin);
        break;
    case device::DeviceError::Kind::CaNotPresented:
        text += QStringLiteral("\nGive the CA certificate with --ca-file instead of --ca-pin.");
        break;
    case device::DeviceError::Kind::Network:
    case device::DeviceError::Kind::Timeout:
        text += QStringLiteral("\nCheck the URL and that the service is running and reachable from here.");
        break;
    case device::DeviceError::Kind::Tls:
        text += QStringLiteral("\nCheck the CA pin or CA file and the host name in the URL.");
        break;
    case device::DeviceError::Kind::Http:
        if (error.httpStatus == 401)
            text += QStringLiteral("\nCheck the build secret.");
        else if (error.httpStatus == 403)
            text += QStringLiteral("\nAsk the operator: the service refuses this device.");
        break;
    default: break;
    }
    return text;
}

QJsonObject statusJson(const device::CredentialStatus &status)
{
    return QJsonObject{
        {QStringLiteral("store_dir"), status.storeDirectory},
        {QStringLiteral("enrolled"), status.enrolled},
        {QStringLiteral("state"), device::stateName(status.state)},
        {QStringLiteral("server_id"), status.serverId},
        {QStringLiteral("fingerprint"), status.fingerprint},
        {QStringLiteral("subject"), status.subject},
        {QStringLiteral("issuer"), status.issuer},
        {QStringLiteral("serial"), status.serial},
        {QStringLiteral("not_before"), timeJson(status.notBefore)},
        {QStringLiteral("not_after"), timeJson(status.notAfter)},
        {QStringLiteral("days_left"), status.enrolled ? QJsonValue(qint64(status.daysLeft)) : QJsonValue()},
        {QStringLiteral("ca_pin"), status.caPin},
        {QStringLiteral("problem"), status.problem},
    };
}

} // namespace

// ---------------------------------------------------------------------------- enroll

EnrollCommand::EnrollCommand()
    : Command(QStringLiteral("enroll"), QStringLiteral("Enroll this device with an enrollment service."))
{
}

void EnrollCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Service | deviceoptions::Trust | deviceoptions::Secret
                                   | deviceoptions::Store | deviceoptions::Identity);
    parser.addOption(commonoptions::jsonOption());
}

int EnrollCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto options = deviceoptions::enrollmentOptions(parser, true);
    if (!options)
        return usageError(options.errorMessage());
    const bool json = parser.isSet(QStringLiteral("json"));
    device::Enrollment enrollment(options.value());
    int stepNumber = 0;
    QObject::connect(&enrollment, &device::Enrollment::stepChanged, [&](device::Enrollment::Step step) {
        if (!json && step != device::Enrollment::Step::Done)
            console::out(QStringLiteral("[%1/5] %2\n").arg(++stepNumber).arg(device::stepText(step)));
    });
    runToCompletion(enrollment);
    const auto &result = enrollment.result();
    if (!result)
        return failure(errorText(result.error()));
    const auto &enrolled = result.value();
    if (json) {
        console::json(QJsonDocument(QJsonObject{
            {QStringLiteral("server_id"), enrolled.serverId},
            {QStringLiteral("serial"), enrolled.certificate.serialHex()},
            {QStringLiteral("not_after"), timeJson(enrolled.certificate.notAfter())},
            {QStringLiteral("store_dir"), enrolled.storeDirectory},
            {QStringLiteral("fingerprint"), options->fingerprint},
            {QStringLiteral("ca_pin"), enrolled.trust.caPin},
        }));
    } else {
        console::out(QStringLiteral("enrolled as %1\n"
                                    "  certificate valid until %2 (serial %3)\n"
                                    "  credentials in %4\n"
                                    "Keep it renewed with 'imprint daemon --url %5 --store-dir %4'.\n")
                         .arg(enrolled.serverId, timeText(enrolled.certificate.notAfter()),
                              enrolled.certificate.serialHex(), enrolled.storeDirectory,
                              options->url.toString()));
    }
    return ExitOk;
}

// ----------------------------------------------------------------------------- renew

RenewCommand::RenewCommand()
    : Command(QStringLiteral("renew"),
              QStringLiteral("Renew the device certificate if due (tier 1, 2, or enroll again)."))
{
}

void RenewCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Service | deviceoptions::Store | deviceoptions::Renewal
                                   | deviceoptions::Secret | deviceoptions::Trust | deviceoptions::Identity);
    parser.addOption(QCommandLineOption(QStringLiteral("force"),
                                        QStringLiteral("Renew even when the certificate is not yet due.")));
    parser.addOption(commonoptions::jsonOption());
}

int RenewCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto options = deviceoptions::enrollmentOptions(parser, false);
    if (!options)
        return usageError(options.errorMessage());
    auto policy = deviceoptions::renewalPolicy(parser);
    if (!policy)
        return usageError(policy.errorMessage());
    policy->force = parser.isSet(QStringLiteral("force"));
    const bool json = parser.isSet(QStringLiteral("json"));

    device::RenewOrReenroll renewal(options.value(), policy.value(), processClock());
    QObject::connect(&renewal, &device::RenewOrReenroll::progress, [json](const QString &message) {
        if (!json)
            console::out(message + QLatin1Char('\n'));
    });
    runToCompletion(renewal);
    const auto &result = renewal.result();
    if (!result) {
        QString text = errorText(result.error());
        if (renewal.attempts().size() > 1)
            text += QStringLiteral("\nTried: ") + renewal.attempts().join(QStringLiteral("; "));
        if (json)
            console::json(QJsonDocument(QJsonObject{{QStringLiteral("error"), result.error().message},
                                                    {QStringLiteral("kind"), device::kindName(result.error().kind)}}));
        return failure(text);
    }
    const QString action = device::actionName(result.value());
    if (json)
        console::json(QJsonDocument(QJsonObject{{QStringLiteral("action"), action}}));
    else
        console::out(QStringLiteral("action: %1\n").arg(action));
    return ExitOk;
}

// ---------------------------------------------------------------------------- status

StatusCommand::StatusCommand()
    : Command(QStringLiteral("status"), QStringLiteral("Show this device's enrollment and certificate state."))
{
}

void StatusCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Store | deviceoptions::Renewal);
    parser.addOption(commonoptions::jsonOption());
}

int StatusCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto policy = deviceoptions::renewalPolicy(parser);
    if (!policy)
        return usageError(policy.errorMessage());
    auto status = device::inspect(device::CredentialStore(deviceoptions::storeDirectory(parser)),
                                  processClock().now(), policy->threshold, policy->challengeWindow);
    if (!status)
        return failure(status.errorMessage());
    const device::CredentialStatus &s = status.value();
    if (parser.isSet(QStringLiteral("json")))
        console::json(QJsonDocument(statusJson(s)));
    else if (!s.enrolled)
        console::out(QStringLiteral("not enrolled (store %1)\n").arg(s.storeDirectory));
    else
        console::out(QStringLiteral("server_id:   %1\n"
                                    "state:       %2\n"
                                    "subject:     %3\n"
                                    "issuer:      %4\n"
                                    "serial:      %5\n"
                                    "valid from:  %6\n"
                                    "valid until: %7 (%8 days left)\n"
                                    "fingerprint: %9\n")
                         .arg(s.serverId, device::stateName(s.state), s.subject, s.issuer, s.serial,
                              timeText(s.notBefore), timeText(s.notAfter), QString::number(s.daysLeft), s.fingerprint)
                     + QStringLiteral("CA pin:      %1\nstore:       %2\n").arg(s.caPin, s.storeDirectory)
                     + (s.problem.isEmpty() ? QString() : QStringLiteral("problem:     %1\n").arg(s.problem)));
    // Enrolled and usable is success; a script can test the exit code.
    return s.state == device::CredentialStatus::State::NotEnrolled
            || s.state == device::CredentialStatus::State::Unreadable
        ? ExitFailed
        : ExitOk;
}

// ---------------------------------------------------------------------------- daemon

namespace {

// SIGINT/SIGTERM to the event loop through a socket pair: the handler only writes a byte.
int g_signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

} // namespace

DaemonCommand::DaemonCommand()
    : Command(QStringLiteral("daemon"),
              QStringLiteral("Keep the device certificate renewed, in the foreground (for a service manager)."))
{
}

void DaemonCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Service | deviceoptions::Store | deviceoptions::Renewal
                                   | deviceoptions::Secret | deviceoptions::Trust | deviceoptions::Identity);
    parser.addOption(QCommandLineOption(QStringLiteral("interval"),
                                        QStringLiteral("Time between checks, plus up to 10% random jitter "
                                                       "(default: 24h)."),
                                        QStringLiteral("DURATION"), QStringLiteral("24h")));
}

int DaemonCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto options = deviceoptions::enrollmentOptions(parser, false);
    if (!options)
        return usageError(options.errorMessage());
    auto policy = deviceoptions::renewalPolicy(parser);
    if (!policy)
        return usageError(policy.errorMessage());
    auto interval = parseDuration(parser.value(QStringLiteral("interval")));
    if (!interval)
        return usageError(QStringLiteral("--interval: ") + interval.errorMessage());

    device::RenewalSchedule schedule;
    schedule.interval = interval.value();
    schedule.maxBackoff = std::min<std::chrono::milliseconds>(schedule.maxBackoff, interval.value());
    schedule.initialBackoff = std::min<std::chrono::milliseconds>(schedule.initialBackoff, schedule.maxBackoff);
    const device::EnrollmentOptions enrollment = options.value();
    const device::RenewalPolicy renewalPolicy = policy.value();
    device::AutoRenewer renewer(
        [enrollment, renewalPolicy](device::AutoRenewer::Done done) {
            auto *renewal = new device::RenewOrReenroll(enrollment, renewalPolicy, processClock());
            QObject::connect(renewal, &device::RenewOrReenroll::finished, renewal, [renewal, done] {
                renewal->deleteLater();
                const auto &result = renewal->result();
                if (result)
                    done(device::actionName(result.value()));
                else
                    done(Result<QString>::failure(result.error().message));
            });
            renewal->start();
        },
        schedule, processClock());
    QObject::connect(&renewer, &device::AutoRenewer::checked, [](const QString &action) {
        console::out(QStringLiteral("%1 check: action=%2\n").arg(timeText(QDateTime::currentDateTimeUtc()), action));
    });
    QObject::connect(&renewer, &device::AutoRenewer::failed, [](const QString &message) {
        console::err(QStringLiteral("%1 check failed: %2\n").arg(timeText(QDateTime::currentDateTimeUtc()), message));
    });
    QObject::connect(&renewer, &device::AutoRenewer::nextCheckScheduled, [](const QDateTime &when) {
        console::out(QStringLiteral("next check at %1\n").arg(timeText(when)));
    });

    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalPipe) != 0)
        return failure(QStringLiteral("cannot set up signal handling"));
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onTerminationSignal);
    std::signal(SIGTERM, onTerminationSignal);

    console::out(QStringLiteral("imprint daemon: store %1, service %2, every %3\n")
                     .arg(enrollment.storeDirectory, enrollment.url.toString(), formatDuration(interval.value())));
    renewer.start();
    QCoreApplication::exec();
    renewer.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    console::out(QStringLiteral("imprint daemon: stopped\n"));
    return ExitOk;
}

// --------------------------------------------------------------------------- request

RequestCommand::RequestCommand()
    : Command(QStringLiteral("request"),
              QStringLiteral("Send one HTTPS request with this device's credentials (mutual TLS)."))
{
}

void RequestCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Store);
    parser.addOption(QCommandLineOption(QStringLiteral("method"), QStringLiteral("HTTP method (default: GET)."),
                                        QStringLiteral("METHOD"), QStringLiteral("GET")));
    parser.addOption(QCommandLineOption(QStringLiteral("data"), QStringLiteral("Request body (sent as JSON)."),
                                        QStringLiteral("BODY")));
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("The https:// URL to request."));
}

int RequestCommand::run(const QCommandLineParser &parser)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(positional.isEmpty() ? QStringLiteral("missing the URL")
                                               : QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1)));
    const QUrl url(positional.first(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("https"))
        return usageError(QStringLiteral("the URL must start with https://"));
    device::MtlsSession session(deviceoptions::storeDirectory(parser));
    auto request = session.request(url);
    if (!request)
        return failure(request.errorMessage());
    const QByteArray body = parser.value(QStringLiteral("data")).toUtf8();
    if (!body.isEmpty())
        request->setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request->setTransferTimeout(30000);
    QNetworkReply *reply = session.network()->sendCustomRequest(
        request.value(), parser.value(QStringLiteral("method")).toUpper().toLatin1(), body);
    QStringList tlsProblems;
    QObject::connect(reply, &QNetworkReply::sslErrors, [&tlsProblems](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            tlsProblems << error.errorString();
    });
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return failure(QStringLiteral("%1: %2%3").arg(url.authority(), reply->errorString(),
                                                      tlsProblems.isEmpty() ? QString()
                                                                            : QStringLiteral(" (") + tlsProblems.join(QStringLiteral("; ")) + QLatin1Char(')')));
    const QByteArray answer = reply->read(qint64(1) << 20);
    QString text = QStringLiteral("status: %1\n").arg(status.toInt());
    const QByteArray expires = reply->rawHeader("X-Imprint-Cert-Expires");
    if (!expires.isEmpty())
        text += QStringLiteral("x-imprint-cert-expires: %1\n").arg(QString::fromLatin1(expires));
    text += QLatin1Char('\n') + QString::fromUtf8(answer);
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    console::out(text);
    return status.toInt() >= 200 && status.toInt() < 300 ? ExitOk : ExitFailed;
}
