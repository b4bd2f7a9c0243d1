#pragma once

#include "support/testing.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

namespace imprint::testing {

// "exit 1: <stderr>" for failure messages of the openssl oracle.
QString describeProcess(const ProcessResult &result);

// A scratch directory in which the `openssl` command line runs (relative file names).
class OpensslWorkspace {
public:
    OpensslWorkspace();
    bool isValid() const { return m_dir.isValid(); }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QByteArray read(const QString &name) const;
    bool write(const QString &name, const QByteArray &data) const;
    // Runs `openssl arguments...` in the directory.
    ProcessResult run(const QStringList &arguments, const QByteArray &input = {}) const;

    // Writes a private key of `kind` to `name` with the openssl command line.
    // Kinds: p256-sec1 (ecparam -genkey -noout), p256-sec1-params (ecparam -genkey, with an
    // "EC PARAMETERS" block first), p256-pkcs8, p256-explicit, p384, secp256k1, ed25519,
    // ed448, rsa2048, rsa512, rsa2048-pkcs1, p256-pkcs8-encrypted, p256-sec1-encrypted.
    ProcessResult generateKey(const QString &kind, const QString &name) const;

private:
    QTemporaryDir m_dir;
};

// PEM text of `der` with 64-character lines, as OpenSSL and Go write it.
QByteArray pemEncode(const QByteArray &der, const QByteArray &label);

// The base64 body of the first PEM block of `pem`, decoded; empty if none.
QByteArray pemDecode(const QByteArray &pem);

// "key=value" lines of `openssl x509 -noout -serial -subject ...` output, keyed by the
// text before the first '='.
QHash<QString, QString> parseOpensslFields(const QByteArray &output);

// "O=Test Org,CN=srv_x" (RFC 2253, no escaped characters) -> {"O": "Test Org", ...}.
QHash<QString, QString> parseRfc2253(const QString &name);

} // namespace imprint::testing

// Asserts that an openssl run succeeded, printing its exit code and error output if not.
#define IMPRINT_VERIFY_PROCESS(result)                                                                           \
    QVERIFY2((result).finished && (result).exitCode == 0,                                                      \
             qPrintable(imprint::testing::describeProcess(result)))
