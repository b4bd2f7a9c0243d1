#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace imprint::testing {

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;
};

// Runs a program to completion (60 s limit) with `input` on its standard input.
ProcessResult runProcess(const QString &program, const QStringList &arguments, const QByteArray &input = {},
                         const QString &workingDirectory = {});

// Runs the `openssl` command line, the independent oracle of the crypto tests.
ProcessResult runOpenssl(const QStringList &arguments, const QByteArray &input = {},
                         const QString &workingDirectory = {});

// Runs the built `imprint` executable.
ProcessResult runImprint(const QStringList &arguments, const QByteArray &input = {},
                         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// Makes `root` look like the root of a machine of its own to the fingerprint collector:
// root/etc/machine-id holding a fresh random id. False if it cannot be written.
bool makeMachineRoot(const QString &root);

} // namespace imprint::testing
