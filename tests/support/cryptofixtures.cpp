#include "support/cryptofixtures.h"

#include <QFile>

namespace imprint::testing {

QString describeProcess(const ProcessResult &result)
{
    return QStringLiteral("exit %1%2: %3")
        .arg(result.exitCode)
        .arg(result.finished ? QString() : QStringLiteral(" (did not finish)"))
        .arg(QString::fromUtf8(result.err.trimmed()));
}

OpensslWorkspace::OpensslWorkspace() = default;

QByteArray OpensslWorkspace::read(const QString &name) const
{
    QFile file(path(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool OpensslWorkspace::write(const QString &name, const QByteArray &data) const
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(data) == data.size();
}

ProcessResult OpensslWorkspace::run(const QStringList &arguments, const QByteArray &input) const
{
    return runOpenssl(arguments, input, m_dir.path());
}

ProcessResult OpensslWorkspace::generateKey(const QString &kind, const QString &name) const
{
    const auto genpkey = [&](const QStringList &options) {
        return run(QStringList{QStringLiteral("genpkey")} + options + QStringList{QStringLiteral("-out"), name});
    };
    const auto ec = [&](const QString &curve) {
        return genpkey({QStringLiteral("-algorithm"), QStringLiteral("EC"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("ec_paramgen_curve:") + curve});
    };
    const auto rsa = [&](int bits) {
        return genpkey({QStringLiteral("-algorithm"), QStringLiteral("RSA"), QStringLiteral("-pkeyopt"),
                        QStringLiteral("rsa_keygen_bits:%1").arg(bits)});
    };
    if (kind == QLatin1String("p256-sec1"))
        return run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", name});
    if (kind == QLatin1String("p256-sec1-params"))
        return run({"ecparam", "-genkey", "-name", "prime256v1", "-out", name});
    if (kind == QLatin1String("p256-explicit"))
        return run({"ecparam", "-genkey", "-name", "prime256v1", "-param_enc", "explicit", "-noout", "-out", name});
    if (kind == QLatin1String("p256-pkcs8"))
        return ec(QStringLiteral("P-256"));
    if (kind == QLatin1String("p384"))
        return ec(QStringLiteral("P-384"));
    if (kind == QLatin1String("secp256k1"))
        return ec(QStringLiteral("secp256k1"));
    if (kind == QLatin1String("ed25519"))
        return genpkey({QStringLiteral("-algorithm"), QStringLiteral("ED25519")});
    if (kind == QLatin1String("ed448"))
        return genpkey({QStringLiteral("-algorithm"), QStringLiteral("ED448")});
    if (kind == QLatin1String("rsa2048"))
        return rsa(2048);
    if (kind == QLatin1String("rsa512"))
        return rsa(512);
    if (kind == QLatin1String("rsa2048-pkcs1")) {
        const ProcessResult made = run({"genpkey", "-algorithm", "RSA", "-out", name + ".pkcs8"});
        if (made.exitCode != 0)
            return made;
        return run({"rsa", "-in", name + ".pkcs8", "-traditional", "-out", name});
    }
    if (kind == QLatin1String("p256-pkcs8-encrypted"))
        return genpkey({"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass",
                        "pass:secret"});
    if (kind == QLatin1String("p256-sec1-encrypted")) {
        const ProcessResult made =
            run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", name + ".plain"});
        if (made.exitCode != 0)
            return made;
        return run({"ec", "-in", name + ".plain", "-aes256", "-passout", "pass:secret", "-out", name});
    }
    ProcessResult unknown;
    unknown.err = "unknown key kind " + kind.toUtf8();
    return unknown;
}

QByteArray pemEncode(const QByteArray &der, const QByteArray &label)
{
    const QByteArray base64 = der.toBase64();
    QByteArray pem = "-----BEGIN " + label + "-----\n";
    for (qsizetype i = 0; i < base64.size(); i += 64)
        pem += base64.mid(i, 64) + '\n';
    pem += "-----END " + label + "-----\n";
    return pem;
}

QByteArray pemDecode(const QByteArray &pem)
{
    const qsizetype begin = pem.indexOf("-----BEGIN ");
    if (begin < 0)
        return {};
    const qsizetype bodyStart = pem.indexOf('\n', begin);
    const qsizetype end = pem.indexOf("-----END ", bodyStart);
    if (bodyStart < 0 || end < 0)
        return {};
    QByteArray body = pem.mid(bodyStart + 1, end - bodyStart - 1);
    body.replace('\n', QByteArray()).replace('\r', QByteArray());
    return QByteArray::fromBase64(body);
}

QHash<QString, QString> parseOpensslFields(const QByteArray &output)
{
    QHash<QString, QString> fields;
    for (const QByteArray &line : output.split('\n')) {
        const qsizetype equals = line.indexOf('=');
        if (equals <= 0)
            continue;
        fields.insert(QString::fromUtf8(line.left(equals)).trimmed(), QString::fromUtf8(line.mid(equals + 1)).trimmed());
    }
    return fields;
}

QHash<QString, QString> parseRfc2253(const QString &name)
{
    QHash<QString, QString> parts;
    for (const QString &part : name.split(QLatin1Char(','))) {
        const qsizetype equals = part.indexOf(QLatin1Char('='));
        if (equals > 0)
            parts.insert(part.left(equals).trimmed(), part.mid(equals + 1).trimmed());
    }
    return parts;
}

} // namespace imprint::testing
