#include "cacommands.h"

#include "authority/certificateauthority.h"
#include "commonoptions.h"
#include "console.h"

#include <QJsonObject>

using imprint::authority::CertificateAuthority;

namespace {

QJsonObject caJson(const CertificateAuthority &ca)
{
    const auto &certificate = ca.certificate();
    return QJsonObject{
        {QStringLiteral("directory"), ca.directory()},
        {QStringLiteral("subject"), certificate.subjectText()},
        {QStringLiteral("organization"), ca.organization()},
        {QStringLiteral("serial"), certificate.serialHex()},
        {QStringLiteral("not_before"), commonoptions::timeJson(certificate.notBefore())},
        {QStringLiteral("not_after"), commonoptions::timeJson(certificate.notAfter())},
        {QStringLiteral("pin"), ca.pin()},
    };
}

void printCa(const CertificateAuthority &ca)
{
    const auto &certificate = ca.certificate();
    console::out(QStringLiteral("directory:  %1\n"
                                "subject:    %2\n"
                                "serial:     %3\n"
                                "not before: %4\n"
                                "not after:  %5\n"
                                "pin:        %6\n")
                     .arg(ca.directory(), certificate.subjectText(), certificate.serialHex(),
                          commonoptions::timeText(certificate.notBefore()),
                          commonoptions::timeText(certificate.notAfter()), ca.pin()));
}

} // namespace

CaInitCommand::CaInitCommand()
    : Command(QStringLiteral("ca init"), QStringLiteral("Create a new CA in a directory."))
{
}

void CaInitCommand::configure(QCommandLineParser &parser)
{
    parser.addOption(commonoptions::caDirOption());
    parser.addOption(QCommandLineOption(QStringLiteral("org"),
                                        QStringLiteral("Organisation named in the CA and device certificates "
                                                       "(default: Imprint CA)."),
                                        QStringLiteral("NAME"), QString::fromLatin1(CertificateAuthority::kDefaultOrganization)));
    parser.addOption(commonoptions::jsonOption());
}

int CaInitCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto ca = CertificateAuthority::create(parser.value(QStringLiteral("ca-dir")), parser.value(QStringLiteral("org")),
                                           QDateTime::currentDateTimeUtc());
    if (!ca)
        return failure(ca.errorMessage());
    if (parser.isSet(QStringLiteral("json")))
        console::json(QJsonDocument(caJson(*ca.value())));
    else
        printCa(*ca.value());
    return ExitOk;
}

CaShowCommand::CaShowCommand()
    : Command(QStringLiteral("ca show"), QStringLiteral("Show the CA's subject, validity and pin."))
{
}

void CaShowCommand::configure(QCommandLineParser &parser)
{
    parser.addOption(commonoptions::caDirOption());
    parser.addOption(QCommandLineOption(QStringLiteral("pem"), QStringLiteral("Print the CA certificate as PEM.")));
    parser.addOption(commonoptions::jsonOption());
}

int CaShowCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    auto ca = CertificateAuthority::load(parser.value(QStringLiteral("ca-dir")));
    if (!ca)
        return failure(ca.errorMessage());
    if (parser.isSet(QStringLiteral("pem"))) {
        console::out(QString::fromLatin1(ca.value()->certificate().toPem()));
        return ExitOk;
    }
    if (parser.isSet(QStringLiteral("json")))
        console::json(QJsonDocument(caJson(*ca.value())));
    else
        printCa(*ca.value());
    return ExitOk;
}
